package org.cardrenew.server.ra;

import java.time.Clock;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.RenewalRepository;
import org.springframework.stereotype.Service;

/**
 * Fetches a renewal again (resume after an interruption), authorised by a renewal token bound to the renewed
 * certificate. A renewal still REQUESTED (the server stopped before issuing) is issued now.
 */
@Service
public class RenewalQuery {

    private final RenewalTokens tokens;
    private final RenewalRepository renewals;
    private final RenewalWindow window;
    private final RenewalIssuance issuance;
    private final RenewalResponses responses;
    private final UnconfirmedRenewals unconfirmed;
    private final AuditLog audit;
    private final Clock clock;

    public RenewalQuery(
            RenewalTokens tokens,
            RenewalRepository renewals,
            RenewalWindow window,
            RenewalIssuance issuance,
            RenewalResponses responses,
            UnconfirmedRenewals unconfirmed,
            AuditLog audit,
            Clock clock) {
        this.unconfirmed = unconfirmed;
        this.tokens = tokens;
        this.renewals = renewals;
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
            // The token's pair with its open or completed renewal (UNIQUE old_pair_id) in one query; a renewal closed
            // unconfirmed names its old pair in closed_pair_id only, and is read on its own.
            CardPairs.Bound bound = tokens.resolvePair(renewalToken);
            serial = bound.certificate().serial();
            Renewal renewal = bound.pair()
                    .renewal()
                    .filter(r -> r.id().equals(id))
                    .or(() -> renewals.find(id)
                            .filter(r -> r.oldPair().equals(bound.certificate().pairId())))
                    .orElseThrow(
                            () -> new RaException(ErrorCode.RENEWAL_NOT_FOUND, "no renewal " + id + " for this token"));
            if (unconfirmed.closeIfOverdue(renewal)) {
                throw unconfirmed.expired(renewal);
            }
            CurrentPair old = bound.pair();
            CertificateStatus status = window.statusOf(old.facts(), clock.instant());
            if (status == CertificateStatus.REVOKED) {
                // A revoked card gets nothing, not even certificates already issued to it.
                throw new RaException(ErrorCode.CERTIFICATE_REVOKED, "renewal " + id + " renews a revoked card");
            }
            if (renewal.state() == RenewalState.REQUESTED) {
                if (status != CertificateStatus.RENEWAL_IN_PROGRESS) {
                    throw new RaException(
                            RenewalWindow.refusalFor(status), "renewal " + id + " can no longer be issued: " + status);
                }
                renewal = issuance.issue(renewal, old, from).renewal();
            }
            RenewalResponse response = responses.of(renewal, old);
            audit.record(AuditEvent.success(serial, AuditAction.RENEWAL_FETCHED, from)
                    .code(renewal.state().name())
                    .certificate(serial)
                    .renewal(renewalId));
            return response;
        } catch (RaException e) {
            audit.record(AuditEvent.refused(
                            AuditEvent.cardOrAnonymous(serial),
                            AuditAction.RENEWAL_REFUSED,
                            e.code().name(),
                            from)
                    .certificate(serial)
                    .renewal(renewalId)
                    .detail(e.getMessage()));
            throw e;
        }
    }
}
