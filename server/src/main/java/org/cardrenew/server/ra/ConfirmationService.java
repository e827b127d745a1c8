package org.cardrenew.server.ra;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.cardrenew.protocol.ConfirmationRequest;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.AuditOutcome;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.config.RenewalProperties;
import org.cardrenew.server.store.CardPairRepository;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.RenewalRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * ISSUED → COMPLETED: the card proves the new certificates are installed by signing the renewal id with the NEW
 * signing key (like CMP certConf, RFC 4210 §5.3.18, sent after the card write). The old pair becomes SUPERSEDED.
 */
@Service
public class ConfirmationService {

    private final RenewalRepository renewals;
    private final CertificateRepository certificates;
    private final CardPairRepository pairRepository;
    private final CardPairs pairs;
    private final RenewalResponses responses;
    private final RenewalProperties properties;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final Clock clock;

    public ConfirmationService(RenewalRepository renewals, CertificateRepository certificates,
            CardPairRepository pairRepository, CardPairs pairs, RenewalResponses responses, RenewalProperties properties,
            PlatformTransactionManager transactions, AuditLog audit, Clock clock) {
        this.renewals = renewals;
        this.certificates = certificates;
        this.pairRepository = pairRepository;
        this.pairs = pairs;
        this.responses = responses;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.audit = audit;
        this.clock = clock;
    }

    /** Idempotent: confirming a COMPLETED renewal again (with a valid signature) answers COMPLETED. */
    public RenewalResponse confirm(String renewalId, ConfirmationRequest request, ClientAddress from) {
        String actor = AuditEvent.ANONYMOUS;
        try {
            RenewalId id = RenewalId.parse(renewalId)
                    .orElseThrow(() -> new RaException(ErrorCode.REQUEST_INVALID, "renewal id is not a UUID"));
            if (request == null || request.signature() == null || request.signatureAlgorithm() == null) {
                throw new RaException(ErrorCode.REQUEST_INVALID, "signature and signatureAlgorithm are required");
            }
            Renewal renewal = renewals.find(id)
                    .orElseThrow(() -> new RaException(ErrorCode.RENEWAL_NOT_FOUND, "no renewal " + id));
            if (renewal.state() == RenewalState.REQUESTED) {
                throw new RaException(ErrorCode.CONFIRMATION_INVALID, "renewal " + id + " has no certificates yet");
            }
            List<StoredCertificate> issued = certificates.findByPair(renewal.newPair());
            StoredCertificate newSigning = CardPairs.certificate(issued, renewal.newPair(), CertificateKind.SIGNING);
            CardSignature.verify(DerCertificates.parse(newSigning.der()).getPublicKey(), request.signatureAlgorithm(),
                    SignedPayloads.confirmation(id.toString()), request.signature(), ErrorCode.CONFIRMATION_INVALID);
            actor = newSigning.serial();
            if (renewal.state() == RenewalState.ISSUED) {
                complete(renewal);
            }
            Renewal completed = renewals.find(id).orElseThrow();
            RenewalResponse response = responses.of(completed, oldNotAfter(completed), issued);
            audit.record(new AuditEvent(actor, AuditAction.RENEWAL_CONFIRMED, AuditOutcome.SUCCESS,
                    completed.state().name(), newSigning.serial(), renewalId, null, from));
            return response;
        } catch (RaException e) {
            audit.record(new AuditEvent(actor, AuditAction.CONFIRMATION_REFUSED, AuditOutcome.REFUSED, e.code().name(),
                    null, renewalId, e.getMessage(), from));
            throw e;
        }
    }

    /**
     * CMP certConf (RFC 4210 §5.3.18): the client, authenticated by the card's current signing key, confirmed the new
     * certificates by their hashes (checked by the caller) after writing them to the card. Idempotent like
     * {@link #confirm}.
     */
    public RenewalResponse confirmInstalled(String renewalId, String actor, ClientAddress from) {
        try {
            RenewalId id = RenewalId.parse(renewalId)
                    .orElseThrow(() -> new RaException(ErrorCode.REQUEST_INVALID, "renewal id is not a UUID"));
            Renewal renewal = renewals.find(id)
                    .orElseThrow(() -> new RaException(ErrorCode.RENEWAL_NOT_FOUND, "no renewal " + id));
            if (renewal.state() == RenewalState.REQUESTED) {
                throw new RaException(ErrorCode.CONFIRMATION_INVALID, "renewal " + id + " has no certificates yet");
            }
            if (renewal.state() == RenewalState.ISSUED) {
                complete(renewal);
            }
            Renewal completed = renewals.find(id).orElseThrow();
            RenewalResponse response = responses.of(completed, pairs.load(completed.oldPair()));
            String newSigning = certificates.findInPair(completed.newPair(), CertificateKind.SIGNING).orElseThrow().serial();
            audit.record(new AuditEvent(actor, AuditAction.RENEWAL_CONFIRMED, AuditOutcome.SUCCESS,
                    completed.state().name(), newSigning, renewalId, "certConf", from));
            return response;
        } catch (RaException e) {
            audit.record(new AuditEvent(actor, AuditAction.CONFIRMATION_REFUSED, AuditOutcome.REFUSED, e.code().name(),
                    null, renewalId, e.getMessage(), from));
            throw e;
        }
    }

    private Instant oldNotAfter(Renewal renewal) {
        return certificates.findInPair(renewal.oldPair(), CertificateKind.SIGNING).orElseThrow().notAfter();
    }

    private void complete(Renewal renewal) {
        Instant now = clock.instant();
        Instant revokeAfter = properties.revocationGrace().map(now::plus).orElse(null);
        transaction.executeWithoutResult(status -> {
            // Both conditional on the current state: a concurrent confirmation makes these no-ops, not errors.
            renewals.markCompleted(renewal.id(), now);
            pairRepository.supersede(renewal.oldPair(), now, revokeAfter);
        });
    }
}
