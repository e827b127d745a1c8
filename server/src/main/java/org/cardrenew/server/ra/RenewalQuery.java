package org.cardrenew.server.ra;

import java.time.Clock;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.AuditOutcome;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.RenewalRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Service;

/**
 * Fetches a renewal again (resume after an interruption), authorised by a renewal token bound to the renewed
 * certificate. A renewal still REQUESTED (the server stopped before issuing) is issued now.
 */
@Service
public class RenewalQuery {

    private final RenewalTokens tokens;
    private final CertificateRepository certificates;
    private final RenewalRepository renewals;
    private final CardPairs pairs;
    private final RenewalWindow window;
    private final RenewalIssuance issuance;
    private final RenewalResponses responses;
    private final AuditLog audit;
    private final Clock clock;

    public RenewalQuery(RenewalTokens tokens, CertificateRepository certificates, RenewalRepository renewals,
            CardPairs pairs, RenewalWindow window, RenewalIssuance issuance, RenewalResponses responses, AuditLog audit,
            Clock clock) {
        this.tokens = tokens;
        this.certificates = certificates;
        this.renewals = renewals;
        this.pairs = pairs;
        this.window = window;
        this.issuance = issuance;
        this.responses = responses;
        this.audit = audit;
        this.clock = clock;
    }

    public RenewalResponse get(String renewalId, String renewalToken, ClientAddress from) {
        String serial = null;
        try {
            RenewalId id = RenewalId.parse(renewalId)
                    .orElseThrow(() -> new RaException(ErrorCode.REQUEST_INVALID, "renewal id is not a UUID"));
            StoredCertificate bound = certificates.find(tokens.resolve(renewalToken)).orElseThrow();
            serial = bound.serial();
            Renewal renewal = renewals.find(id)
                    .filter(r -> r.oldPair().equals(bound.pairId()))
                    .orElseThrow(() -> new RaException(ErrorCode.RENEWAL_NOT_FOUND, "no renewal " + id + " for this token"));
            CurrentPair old = pairs.load(renewal.oldPair());
            if (renewal.state() == RenewalState.REQUESTED) {
                CertificateStatus status = window.statusOf(old.facts(), clock.instant());
                if (status != CertificateStatus.RENEWAL_IN_PROGRESS) {
                    throw new RaException(status == CertificateStatus.REVOKED ? ErrorCode.CERTIFICATE_REVOKED
                            : ErrorCode.CERTIFICATE_EXPIRED, "renewal " + id + " can no longer be issued: " + status);
                }
                renewal = issuance.complete(id, renewal.signingKeyHash(), renewal.encryptionKeyHash());
            }
            RenewalResponse response = responses.of(renewal, old);
            audit.record(new AuditEvent(serial, AuditAction.RENEWAL_FETCHED, AuditOutcome.SUCCESS, renewal.state().name(),
                    serial, renewalId, null, from));
            return response;
        } catch (RaException e) {
            audit.record(new AuditEvent(serial == null ? AuditEvent.ANONYMOUS : serial, AuditAction.RENEWAL_REFUSED,
                    AuditOutcome.REFUSED, e.code().name(), serial, renewalId, e.getMessage(), from));
            throw e;
        }
    }
}
