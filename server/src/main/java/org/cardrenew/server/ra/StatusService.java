package org.cardrenew.server.ra;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/** Answers the one status of a card's signing certificate, after the card proved it holds the key. */
@Service
public class StatusService {

    private final CardAuthenticator authenticator;
    private final RenewalWindow window;
    private final RenewalTokens tokens;
    private final TransactionTemplate transaction;
    private final AuditLog audit;

    public StatusService(
            CardAuthenticator authenticator,
            RenewalWindow window,
            RenewalTokens tokens,
            PlatformTransactionManager transactions,
            AuditLog audit) {
        this.transaction = new TransactionTemplate(transactions);
        this.authenticator = authenticator;
        this.window = window;
        this.tokens = tokens;
        this.audit = audit;
    }

    /** The status, without the holder-facing message (the web layer adds it in the request's language). */
    public StatusResponse status(StatusRequest request, ClientAddress from) {
        Decision[] decidedInside = new Decision[1];
        Decision decision;
        try {
            decision = transaction.execute(status -> {
                decidedInside[0] = decideAndRecord(request, from, status);
                return decidedInside[0];
            });
        } catch (DuplicateKeyException replay) {
            if (decidedInside[0] == null) {
                throw replay;
            }
            // Decided, then the commit failed: the challenge's use went with the COMMIT (ChallengeRepository.recordUse)
            // and found it used before. Nothing of the transaction stayed; the answer is not given.
            decision =
                    new Decision(AuditEvent.ANONYMOUS, null, null, ChallengeService.usedBefore(request.challengeId()));
        }
        if (decision.refusal() != null) {
            RaException e = decision.refusal();
            audit.record(AuditEvent.refused(
                            decision.actor(),
                            AuditAction.STATUS_REFUSED,
                            e.code().name(),
                            from)
                    .certificate(decision.serial())
                    .detail(e.getMessage()));
            throw e;
        }
        return decision.response();
    }

    /** The transaction's work: the challenge spent, the card checked, the answer and its record. */
    private Decision decideAndRecord(StatusRequest request, ClientAddress from, TransactionStatus status) {
        Decision decided = consumeAndDecide(request);
        if (decided.refusal() != null && decided.refusal().code() == ErrorCode.CHALLENGE_USED) {
            // Written at once (not under the server's transaction manager), the single-use INSERT failed on its
            // key: PostgreSQL has aborted the transaction, and nothing in it is worth keeping (the challenge was
            // spent by its first use).
            status.setRollbackOnly();
        }
        if (decided.refusal() == null) {
            // The answer's record commits with the spent challenge and the token (one transaction, issue 14).
            audit.recordInCurrentTransaction(shown(decided, request, from));
        }
        return decided;
    }

    private static AuditEvent shown(Decision decision, StatusRequest request, ClientAddress from) {
        return AuditEvent.success(decision.actor(), AuditAction.STATUS_SHOWN, from)
                .code(decision.response().status().name())
                .certificate(decision.serial())
                .renewal(decision.response().renewalId())
                .detail("challenge " + request.challengeId());
    }

    /** What one status request came to: an answer or a refusal, and who asked. */
    private record Decision(String actor, String serial, StatusResponse response, RaException refusal) {}

    /**
     * In one transaction: use the challenge up (its record carries the renewal token's hash), authenticate the card,
     * decide whether to hand the token out. A refusal is returned, not thrown, so the transaction commits and a used
     * challenge stays spent (it can never be probed twice) while no token is handed out.
     */
    private Decision consumeAndDecide(StatusRequest request) {
        // Made before the check and stored with the challenge's use (no write of its own); handed out only below.
        RenewalTokens.Pending token = tokens.prepare();
        try {
            AuthenticatedCard card =
                    authenticator.bySignedChallenge(SignedChallenge.of(request), CardUse.STATUS, token);
            return new Decision(card.serial(), card.serial(), decide(card, token), null);
        } catch (CardRefusal e) {
            String actor = e.possessionProven() ? e.serial() : AuditEvent.ANONYMOUS;
            if (e.code() == ErrorCode.CERTIFICATE_UNKNOWN && e.possessionProven()) {
                // Not a signing certificate of this CA's store: nothing to renew here, and the page says so.
                X509Certificate certificate = DerCertificates.parseBase64(request.certificate());
                return new Decision(
                        actor,
                        e.serial(),
                        new StatusResponse(
                                CertificateStatus.UNKNOWN,
                                Subjects.of(certificate),
                                e.serial(),
                                certificate.getNotBefore().toInstant(),
                                certificate.getNotAfter().toInstant(),
                                null,
                                null,
                                null,
                                null,
                                null,
                                null),
                        null);
            }
            return new Decision(actor, e.serial(), null, e);
        }
    }

    private StatusResponse decide(AuthenticatedCard card, RenewalTokens.Pending prepared) {
        StoredCertificate stored = card.signing();
        CertificateStatus status = card.standing();
        Optional<Renewal> renewal = card.pair().renewal();
        // The token stored with the challenge's use is bound to this card's signing certificate (authenticated above).
        RenewalTokens.Pending token =
                status == CertificateStatus.RENEWABLE || status == CertificateStatus.RENEWAL_IN_PROGRESS
                        ? prepared
                        : null;
        boolean showRenewal =
                status == CertificateStatus.RENEWAL_IN_PROGRESS || status == CertificateStatus.ALREADY_RENEWED;
        String renewalId = showRenewal ? renewal.map(r -> r.id().toString()).orElse(null) : null;
        RenewalState renewalState = showRenewal ? renewal.map(Renewal::state).orElse(null) : null;
        if (status == CertificateStatus.RENEWABLE && renewal.isEmpty()) {
            // Issue 12: the card's last renewal was closed unconfirmed (its certificates revoked). Say so, with the
            // closed renewal's id and state, so the agent and the page tell the holder why they renew again.
            // Read with the pair (PairSnapshots), not by a statement of its own: status checks are most of the load.
            Optional<RenewalId> closed = card.pair().lastClosed();
            if (closed.isPresent()) {
                renewalId = closed.get().toString();
                renewalState = RenewalState.EXPIRED_UNCONFIRMED;
            }
        }
        return new StatusResponse(
                status,
                Subjects.of(card.certificate()),
                stored.serial(),
                stored.notBefore(),
                stored.notAfter(),
                window.opensAt(stored.notAfter()),
                token == null ? null : token.token(),
                token == null ? null : token.expiresAt(),
                renewalId,
                renewalState,
                null);
    }
}
