package org.cardrenew.server.ra;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.cardrenew.protocol.ConfirmationRequest;
import org.cardrenew.protocol.ConfirmationResponse;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.config.RenewalProperties;
import org.cardrenew.server.store.CardPairRepository;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.PairSnapshots;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.RenewalRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.cardrenew.server.store.WritesAtCommit;
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
    private final PairSnapshots snapshots;
    private final RenewalResponses responses;
    private final RenewalProperties properties;
    private final TransactionTemplate transaction;
    private final UnconfirmedRenewals unconfirmed;
    private final AuditLog audit;
    private final Clock clock;

    public ConfirmationService(
            RenewalRepository renewals,
            CertificateRepository certificates,
            CardPairRepository pairRepository,
            CardPairs pairs,
            PairSnapshots snapshots,
            RenewalResponses responses,
            RenewalProperties properties,
            PlatformTransactionManager transactions,
            UnconfirmedRenewals unconfirmed,
            AuditLog audit,
            Clock clock) {
        this.unconfirmed = unconfirmed;
        this.renewals = renewals;
        this.certificates = certificates;
        this.pairRepository = pairRepository;
        this.pairs = pairs;
        this.snapshots = snapshots;
        this.responses = responses;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Idempotent: confirming a COMPLETED renewal again (with a valid signature) answers COMPLETED. The answer names
     * the new certificates by serial instead of carrying them again: the card holds them already.
     */
    public ConfirmationResponse confirm(String renewalId, ConfirmationRequest request, ClientAddress from) {
        String actor = AuditEvent.ANONYMOUS;
        try {
            RenewalId id = RenewalId.parse(renewalId)
                    .orElseThrow(() -> new RaException(ErrorCode.REQUEST_INVALID, "renewal id is not a UUID"));
            if (request == null || request.signature() == null || request.signatureAlgorithm() == null) {
                throw new RaException(ErrorCode.REQUEST_INVALID, "signature and signatureAlgorithm are required");
            }
            // The renewal, its new pair's certificates and the old signing certificate's expiry, all the answer needs:
            // one query.
            PairSnapshots.RenewalSnapshot snapshot = snapshots
                    .ofRenewal(id)
                    .orElseThrow(() -> new RaException(ErrorCode.RENEWAL_NOT_FOUND, "no renewal " + id));
            Renewal renewal = snapshot.renewal();
            if (renewal.state() == RenewalState.REQUESTED) {
                throw new RaException(ErrorCode.CONFIRMATION_INVALID, "renewal " + id + " has no certificates yet");
            }
            List<StoredCertificate> both = snapshot.certificates();
            List<StoredCertificate> issued = inPair(both, renewal.newPair());
            Instant oldNotAfter = CardPairs.certificate(
                            inPair(both, renewal.oldPair()), renewal.oldPair(), CertificateKind.SIGNING)
                    .notAfter();
            StoredCertificate newSigning = CardPairs.certificate(issued, renewal.newPair(), CertificateKind.SIGNING);
            CardSignature.verify(
                    certifiedSigningKey(renewal, newSigning),
                    request.signatureAlgorithm(),
                    SignedPayloads.confirmation(id.toString()),
                    request.signature(),
                    ErrorCode.CONFIRMATION_INVALID);
            actor = newSigning.serial();
            // Only the card learns that its renewal was closed (and the refusal is chained under its serial).
            if (unconfirmed.closeIfOverdue(renewal)) {
                throw unconfirmed.expired(renewal);
            }
            AuditEvent confirmed = AuditEvent.success(actor, AuditAction.RENEWAL_CONFIRMED, from)
                    .certificate(newSigning.serial())
                    .renewal(renewalId);
            Completion completion = renewal.state() == RenewalState.ISSUED
                    ? complete(renewal, newSigning, confirmed)
                    : Completion.earlier(renewal);
            Renewal completed = completion.renewal();
            if (!completion.recorded()) {
                audit.record(confirmed.code(completed.state().name()));
            }
            StoredCertificate newEncryption =
                    CardPairs.certificate(issued, renewal.newPair(), CertificateKind.ENCRYPTION);
            return new ConfirmationResponse(
                    completed.id().toString(),
                    completed.state(),
                    newSigning.serial(),
                    newEncryption.serial(),
                    newSigning.notBefore(),
                    newSigning.notAfter(),
                    oldNotAfter);
        } catch (RaException e) {
            audit.record(AuditEvent.refused(
                            actor, AuditAction.CONFIRMATION_REFUSED, e.code().name(), from)
                    .renewal(renewalId)
                    .detail(e.getMessage()));
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
            if (unconfirmed.closeIfOverdue(renewal)) {
                throw unconfirmed.expired(renewal);
            }
            StoredCertificate newSigning = certificates
                    .findInPair(renewal.newPair(), CertificateKind.SIGNING)
                    .orElseThrow();
            AuditEvent confirmed = AuditEvent.success(actor, AuditAction.RENEWAL_CONFIRMED, from)
                    .certificate(newSigning.serial())
                    .renewal(renewalId)
                    .detail("certConf");
            Completion completion = renewal.state() == RenewalState.ISSUED
                    ? complete(renewal, newSigning, confirmed)
                    : Completion.earlier(renewal);
            Renewal completed = completion.renewal();
            RenewalResponse response = responses.of(completed, pairs.load(completed.oldPair()));
            if (!completion.recorded()) {
                audit.record(confirmed.code(completed.state().name()));
            }
            return response;
        } catch (RaException e) {
            audit.record(AuditEvent.refused(
                            actor, AuditAction.CONFIRMATION_REFUSED, e.code().name(), from)
                    .renewal(renewalId)
                    .detail(e.getMessage()));
            throw e;
        }
    }

    private static List<StoredCertificate> inPair(List<StoredCertificate> certificates, PairId pair) {
        return certificates.stream().filter(c -> c.pairId().equals(pair)).toList();
    }

    /** The renewal as stored after a confirmation, and whether its record was committed with the change. */
    private record Completion(Renewal renewal, boolean recorded) {

        /** Completed (or closed) before this call: the caller records the outcome. */
        static Completion earlier(Renewal renewal) {
            return new Completion(renewal, false);
        }
    }

    /**
     * ISSUED → COMPLETED; returns the renewal as stored afterwards. When this call made the change, that is known
     * without reading the row again, and {@code confirmed} (its code set to COMPLETED) is appended to the audit chain
     * in the same transaction (one commit for both, issue 14); when a concurrent confirmation made it, the row is
     * read and the caller records the outcome.
     */
    private Completion complete(Renewal renewal, StoredCertificate newSigning, AuditEvent confirmed) {
        if (newSigning.revoked()) {
            // The card was revoked as a whole (scope card) while the renewal waited for this confirmation.
            throw new RaException(
                    ErrorCode.CERTIFICATE_REVOKED, "the new certificate " + newSigning.serial() + " is revoked");
        }
        // PostgreSQL and H2 store microseconds: the renewal returned is the one stored.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant revokeAfter = properties.revocationGrace().map(now::plus).orElse(null);
        // All three go with the COMMIT (issue 14: one round trip on PostgreSQL). The step to COMPLETED is conditional
        // on the renewal still being ISSUED and fails the commit otherwise, so the old pair is superseded and the
        // record written exactly when this call completes the renewal.
        if (WritesAtCommit.GuardedWrite.committed(transaction, () -> {
            renewals.markCompleted(renewal.id(), now);
            pairRepository.supersede(renewal.oldPair(), now, revokeAfter);
            audit.recordInCurrentTransaction(confirmed.code(RenewalState.COMPLETED.name()));
        })) {
            return new Completion(renewal.completed(now), true);
        }
        // A concurrent confirmation, or the closing job, moved the renewal on first.
        Renewal stored = renewals.find(renewal.id()).orElseThrow();
        if (stored.state() == RenewalState.EXPIRED_UNCONFIRMED) {
            throw unconfirmed.expired(renewal); // closed by another node between the check and the update
        }
        if (stored.state() != RenewalState.COMPLETED) {
            throw new IllegalStateException("renewal " + renewal.id() + " was not completed and is " + stored.state());
        }
        return Completion.earlier(stored);
    }

    /**
     * The key the new signing certificate certifies: the renewal's stored new signing key, the key the CA signed for,
     * once the certificate's stored key hash confirms it is that key. Decoding the key instead of parsing the
     * certificate saves a certificate parse per confirmation (issue 14, session 10: about 3 % of a renewal's server
     * samples).
     */
    private static PublicKey certifiedSigningKey(Renewal renewal, StoredCertificate certificate) {
        byte[] subjectPublicKeyInfo = renewal.signingKey().bytes();
        if (!certificate.keyHash().equals(KeyHash.ofSpki(subjectPublicKeyInfo))) {
            throw new IllegalStateException("renewal " + renewal.id() + ": its new signing certificate "
                    + certificate.serial() + " certifies another key than the renewal's");
        }
        return RenewalIssuance.publicKey(subjectPublicKeyInfo);
    }
}
