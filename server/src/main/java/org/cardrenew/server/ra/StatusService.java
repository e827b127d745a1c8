package org.cardrenew.server.ra;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.AuditOutcome;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Answers the one status of a card's signing certificate, after the card proved it holds the key. */
@Service
public class StatusService {

    private final ChallengeService challenges;
    private final CertificateAuthority ca;
    private final CardPairs pairs;
    private final RenewalWindow window;
    private final RenewalTokens tokens;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final Clock clock;

    public StatusService(ChallengeService challenges, CertificateAuthority ca, CardPairs pairs, RenewalWindow window,
            RenewalTokens tokens, PlatformTransactionManager transactions, AuditLog audit, Clock clock) {
        this.transaction = new TransactionTemplate(transactions);
        this.challenges = challenges;
        this.ca = ca;
        this.pairs = pairs;
        this.window = window;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    /** The status, without the holder-facing message (the web layer adds it in the request's language). */
    public StatusResponse status(StatusRequest request, ClientAddress from) {
        Decision decision;
        try {
            if (request == null || request.challengeId() == null || request.certificate() == null
                    || request.signature() == null || request.signatureAlgorithm() == null) {
                throw new RaException(ErrorCode.REQUEST_INVALID, "challengeId, certificate, signature and signatureAlgorithm are required");
            }
            decision = transaction.execute(status -> consumeAndDecide(request));
        } catch (RaException e) {
            decision = new Decision(AuditEvent.ANONYMOUS, null, null, e);
        }
        if (decision.refusal() != null) {
            RaException e = decision.refusal();
            audit.record(new AuditEvent(decision.actor(), AuditAction.STATUS_REFUSED, AuditOutcome.REFUSED, e.code().name(),
                    decision.serial(), null, e.getMessage(), from));
            throw e;
        }
        StatusResponse response = decision.response();
        audit.record(new AuditEvent(decision.actor(), AuditAction.STATUS_SHOWN, AuditOutcome.SUCCESS,
                response.status().name(), decision.serial(), response.renewalId(), "challenge " + request.challengeId(), from));
        return response;
    }

    /** What one status request came to: an answer or a refusal, and who asked. */
    private record Decision(String actor, String serial, StatusResponse response, RaException refusal) {}

    /**
     * In one transaction: use the challenge up, check the signature, decide, store the renewal token. A refusal after
     * the challenge was used is returned, not thrown, so the transaction commits and the challenge stays spent (it can
     * never be probed twice) while no token is stored. An unusable challenge throws: nothing was written.
     */
    private Decision consumeAndDecide(StatusRequest request) {
        String nonce = challenges.consume(request.challengeId());
        String actor = AuditEvent.ANONYMOUS;
        String serial = null;
        try {
            X509Certificate certificate = DerCertificates.parseBase64(request.certificate());
            serial = DerCertificates.serialHex(certificate);
            CardSignature.verify(certificate.getPublicKey(), request.signatureAlgorithm(), SignedPayloads.status(nonce),
                    request.signature(), ErrorCode.SIGNATURE_INVALID);
            actor = serial;
            return new Decision(actor, serial, decide(certificate, serial), null);
        } catch (RaException e) {
            return new Decision(actor, serial, null, e);
        }
    }

    private StatusResponse decide(X509Certificate certificate, String serial) {
        Instant now = clock.instant();
        Optional<CurrentPair> held = ca.isIssuerOf(certificate) ? pairs.ofCertificate(serial) : Optional.empty();
        Optional<StoredCertificate> stored = held.map(CurrentPair::signing).filter(c -> c.serial().equals(serial));
        if (stored.isEmpty() || !Arrays.equals(stored.get().der(), DerCertificates.der(certificate))) {
            // Not issued by this CA, not in its store, or not a signing certificate: nothing to renew here.
            return new StatusResponse(CertificateStatus.UNKNOWN, Subjects.of(certificate), serial,
                    certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), null, null, null, null,
                    null, null);
        }
        CurrentPair pair = held.get();
        CertificateStatus status = window.statusOf(pair.facts(), now);
        Optional<Renewal> renewal = pair.renewal();
        RenewalTokens.Issued token = status == CertificateStatus.RENEWABLE || status == CertificateStatus.RENEWAL_IN_PROGRESS
                ? tokens.issue(stored.get().id())
                : null;
        boolean showRenewal = status == CertificateStatus.RENEWAL_IN_PROGRESS || status == CertificateStatus.ALREADY_RENEWED;
        return new StatusResponse(status, Subjects.of(certificate), serial, stored.get().notBefore(), stored.get().notAfter(),
                window.opensAt(stored.get().notAfter()), token == null ? null : token.token(),
                token == null ? null : token.expiresAt(),
                showRenewal ? renewal.map(r -> r.id().toString()).orElse(null) : null,
                showRenewal ? renewal.map(Renewal::state).orElse(null) : null, null);
    }
}
