package org.cardrenew.server.revocation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.cardrenew.ca.RevocationReason;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.store.CardPairRepository;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.RenewalRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Revokes on an administrator's word — one certificate, or a card as a whole — records it, and publishes a new CRL at
 * once (OCSP reads the store, so it answers "revoked" from the same moment).
 */
@Service
public class RevocationService {

    /** What a revocation covers. */
    public enum Scope {
        /** The certificate named (the default). */
        CERTIFICATE,
        /**
         * Every unexpired certificate of the card (issue 12): both of the named certificate's pair and of every pair
         * linked to it by a renewal — the pair it renewed (the old encryption key stays on the card as decryption
         * history) and the pairs renewals of it issued, confirmed or not.
         */
        CARD;

        /** "certificate" (also when absent) or "card"; anything else is refused. */
        static Scope of(String text) {
            if (text == null || text.isBlank() || text.equals("certificate")) {
                return CERTIFICATE;
            }
            if (text.equals("card")) {
                return CARD;
            }
            throw new RaException(ErrorCode.REQUEST_INVALID, "scope must be certificate or card");
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The revocation as recorded: every serial it revoked, the named one first when it was not revoked before. */
    public record Revoked(
            String serial, Instant revokedAt, RevocationReason reason, Scope scope, List<String> revoked) {}

    /** A card links at most this many pairs (one per renewal); more means a loop in the data, not a card. */
    private static final int MAX_PAIRS = 200;

    private final CertificateRepository certificates;
    private final CardPairRepository pairs;
    private final RenewalRepository renewals;
    private final TransactionTemplate transaction;
    private final CrlPublisher crl;
    private final AuditLog audit;
    private final Clock clock;

    public RevocationService(
            CertificateRepository certificates,
            CardPairRepository pairs,
            RenewalRepository renewals,
            PlatformTransactionManager transactions,
            CrlPublisher crl,
            AuditLog audit,
            Clock clock) {
        this.certificates = certificates;
        this.pairs = pairs;
        this.renewals = renewals;
        this.transaction = new TransactionTemplate(transactions);
        this.crl = crl;
        this.audit = audit;
        this.clock = clock;
    }

    /** One certificate (scope certificate). */
    public Revoked revoke(String serialText, String reasonText, ClientAddress from) {
        return revoke(serialText, reasonText, null, from);
    }

    public Revoked revoke(String serialText, String reasonText, String scopeText, ClientAddress from) {
        String serial = null;
        try {
            serial = normalise(serialText);
            RevocationReason reason = reason(reasonText);
            Scope scope = Scope.of(scopeText);
            StoredCertificate stored = certificates
                    .findBySerial(serial)
                    .orElseThrow(
                            () -> new RaException(ErrorCode.CERTIFICATE_UNKNOWN, "no certificate with this serial"));
            if (scope == Scope.CERTIFICATE && stored.revoked()) {
                throw new RaException(ErrorCode.CERTIFICATE_REVOKED, "already revoked at " + stored.revokedAt());
            }
            // RFC 5280 §5.1.2.6: CRLs and OCSP carry whole seconds; record what they will say.
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            String named = serial;
            List<String> revoked = transaction.execute(status ->
                    scope == Scope.CARD ? revokeCard(stored, now, reason) : revokeOne(stored, named, now, reason));
            if (revoked == null || revoked.isEmpty()) {
                throw new RaException(
                        ErrorCode.CERTIFICATE_REVOKED,
                        scope == Scope.CARD
                                ? "every unexpired certificate of this card is already revoked"
                                : "revoked concurrently");
            }
            for (String each : revoked) {
                audit.record(AuditEvent.success(AuditEvent.ADMIN, AuditAction.CERTIFICATE_REVOKED, from)
                        .code(reason.rfcName())
                        .certificate(each)
                        .detail(scope == Scope.CARD ? "scope card, named " + serial : null));
            }
            crl.publish();
            return new Revoked(serial, now, reason, scope, revoked);
        } catch (RaException e) {
            audit.record(AuditEvent.refused(
                            AuditEvent.ADMIN,
                            AuditAction.REVOCATION_REFUSED,
                            e.code().name(),
                            from)
                    .certificate(serial)
                    .detail(e.getMessage()));
            throw e;
        }
    }

    private List<String> revokeOne(StoredCertificate stored, String serial, Instant now, RevocationReason reason) {
        if (!certificates.revoke(serial, now, reason.rfcName())) {
            return List.of();
        }
        // The card can no longer renew: its pair is no longer current (no expiry reminders; REMINDERS.md).
        pairs.revokeActive(stored.pairId());
        return List.of(serial);
    }

    /** In the caller's transaction: every pair of the card REVOKED (none can renew), their certificates revoked. */
    private List<String> revokeCard(StoredCertificate stored, Instant now, RevocationReason reason) {
        List<String> revoked = new ArrayList<>();
        for (PairId pair : card(stored.pairId())) {
            revoked.addAll(certificates.revokeUnexpiredInPair(pair, now, reason.rfcName()));
            pairs.markRevoked(pair);
        }
        revoked.sort(Comparator.comparing((String s) -> !s.equals(stored.serial())));
        return revoked;
    }

    /** The named pair first, then every pair linked to it by renewals, in either direction. */
    private Set<PairId> card(PairId named) {
        Set<PairId> card = new LinkedHashSet<>();
        Deque<PairId> next = new ArrayDeque<>(List.of(named));
        while (!next.isEmpty() && card.size() < MAX_PAIRS) {
            PairId pair = next.poll();
            if (card.add(pair)) {
                next.addAll(renewals.linkedPairs(pair));
            }
        }
        return card;
    }

    /** Hex as the store keeps it: lower case, no leading zeros; colons and spaces (as openssl prints) allowed. */
    static String normalise(String serial) {
        String hex =
                serial == null ? "" : serial.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
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
