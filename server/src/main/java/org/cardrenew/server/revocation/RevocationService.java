package org.cardrenew.server.revocation;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.cardrenew.ca.RevocationReason;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.AuditOutcome;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.store.CardPairRepository;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Revokes one certificate on an administrator's word, records it, and publishes a new CRL at once (OCSP reads the
 * store, so it answers "revoked" from the same moment).
 */
@Service
public class RevocationService {

    /** The revocation as recorded. */
    public record Revoked(String serial, Instant revokedAt, RevocationReason reason) {}

    private final CertificateRepository certificates;
    private final CardPairRepository pairs;
    private final TransactionTemplate transaction;
    private final CrlPublisher crl;
    private final AuditLog audit;
    private final Clock clock;

    public RevocationService(CertificateRepository certificates, CardPairRepository pairs,
            PlatformTransactionManager transactions, CrlPublisher crl, AuditLog audit, Clock clock) {
        this.certificates = certificates;
        this.pairs = pairs;
        this.transaction = new TransactionTemplate(transactions);
        this.crl = crl;
        this.audit = audit;
        this.clock = clock;
    }

    public Revoked revoke(String serialText, String reasonText, ClientAddress from) {
        String serial = null;
        try {
            serial = normalise(serialText);
            RevocationReason reason = reason(reasonText);
            StoredCertificate stored = certificates.findBySerial(serial)
                    .orElseThrow(() -> new RaException(ErrorCode.CERTIFICATE_UNKNOWN, "no certificate with this serial"));
            if (stored.revoked()) {
                throw new RaException(ErrorCode.CERTIFICATE_REVOKED, "already revoked at " + stored.revokedAt());
            }
            // RFC 5280 §5.1.2.6: CRLs and OCSP carry whole seconds; record what they will say.
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            String revokedSerial = serial;
            boolean revoked = Boolean.TRUE.equals(transaction.execute(status -> {
                if (!certificates.revoke(revokedSerial, now, reason.rfcName())) {
                    return false;
                }
                // The card can no longer renew: its pair is no longer current (no expiry reminders; REMINDERS.md).
                pairs.revokeActive(stored.pairId());
                return true;
            }));
            if (!revoked) {
                throw new RaException(ErrorCode.CERTIFICATE_REVOKED, "revoked concurrently");
            }
            audit.record(new AuditEvent(AuditEvent.ADMIN, AuditAction.CERTIFICATE_REVOKED, AuditOutcome.SUCCESS,
                    reason.rfcName(), serial, null, null, from));
            crl.publish();
            return new Revoked(serial, now, reason);
        } catch (RaException e) {
            audit.record(new AuditEvent(AuditEvent.ADMIN, AuditAction.REVOCATION_REFUSED, AuditOutcome.REFUSED,
                    e.code().name(), serial, null, e.getMessage(), from));
            throw e;
        }
    }

    /** Hex as the store keeps it: lower case, no leading zeros; colons and spaces (as openssl prints) allowed. */
    static String normalise(String serial) {
        String hex = serial == null ? "" : serial.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{1,40}")) {
            throw new RaException(ErrorCode.REQUEST_INVALID, "serial must be 1 to 40 hex digits");
        }
        String stripped = hex.replaceFirst("^0+(?=.)", "");
        return stripped;
    }

    /** RFC 5280 §5.3.1 names (keyCompromise, superseded, ...); none means unspecified. */
    private static RevocationReason reason(String text) {
        if (text == null || text.isBlank()) {
            return RevocationReason.UNSPECIFIED;
        }
        try {
            return RevocationReason.of(text);
        } catch (IllegalArgumentException e) {
            throw new RaException(ErrorCode.REQUEST_INVALID, "unknown revocation reason " + text);
        }
    }
}
