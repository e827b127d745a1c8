package org.cardrenew.server.ra;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.AuditOutcome;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.config.RenewalProperties;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.Der;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.RenewalRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Takes the two CSRs of a renewal: checks them, claims the pair's one renewal slot (REQUESTED), has both
 * certificates issued (ISSUED). Idempotent by public keys: the same two keys again get the same renewal.
 */
@Service
public class RenewalService {

    private final RenewalTokens tokens;
    private final CertificateRepository certificates;
    private final RenewalRepository renewals;
    private final CardPairs pairs;
    private final RenewalWindow window;
    private final NewKeys newKeys;
    private final RenewalIssuance issuance;
    private final RenewalResponses responses;
    private final RenewalProperties properties;
    private final UnconfirmedRenewals unconfirmed;
    private final AuditLog audit;
    private final Clock clock;

    public RenewalService(
            RenewalTokens tokens,
            CertificateRepository certificates,
            RenewalRepository renewals,
            CardPairs pairs,
            RenewalWindow window,
            NewKeys newKeys,
            RenewalIssuance issuance,
            RenewalResponses responses,
            RenewalProperties properties,
            UnconfirmedRenewals unconfirmed,
            AuditLog audit,
            Clock clock) {
        this.properties = properties;
        this.unconfirmed = unconfirmed;
        this.tokens = tokens;
        this.certificates = certificates;
        this.renewals = renewals;
        this.pairs = pairs;
        this.window = window;
        this.newKeys = newKeys;
        this.issuance = issuance;
        this.responses = responses;
        this.audit = audit;
        this.clock = clock;
    }

    public RenewalResponse renew(RenewalRequest request, ClientAddress from) {
        String serial = null;
        CardPairs.Bound bound;
        CertificationRequest signing;
        CertificationRequest encryption;
        try {
            if (request == null
                    || request.renewalToken() == null
                    || request.signingCsr() == null
                    || request.encryptionCsr() == null) {
                throw new RaException(
                        ErrorCode.REQUEST_INVALID, "renewalToken, signingCsr and encryptionCsr are required");
            }
            bound = tokens.resolvePair(request.renewalToken());
            serial = bound.certificate().serial();
            signing = CertificationRequest.parse(request.signingCsr(), "signingCsr");
            encryption = CertificationRequest.parse(request.encryptionCsr(), "encryptionCsr");
        } catch (RaException e) {
            throw refused(e, serial, null, from);
        }
        return renew(bound.certificate(), bound.pair(), signing, encryption, from);
    }

    /**
     * The same renewal for the standard protocols (CMP kur, EST simplereenroll): the caller authenticated the card's
     * current signing certificate by a protocol signature (instead of a renewal token) and verified both proofs of
     * possession (CRMF POP or PKCS#10 signature). Same checks, state machine and audit as {@link #renew}.
     */
    public RenewalResponse renewAuthenticated(
            StoredCertificate bound,
            CertificationRequest signing,
            CertificationRequest encryption,
            ClientAddress from) {
        return renew(bound, pairs.load(bound.pairId()), signing, encryption, from);
    }

    /** {@code old} is the pair of {@code bound} (the card's signing certificate) as just read. */
    private RenewalResponse renew(
            StoredCertificate bound,
            CurrentPair loaded,
            CertificationRequest signing,
            CertificationRequest encryption,
            ClientAddress from) {
        String serial = bound.serial();
        String renewalId = null;
        try {
            CurrentPair old = loaded;
            if (old.renewal().isPresent()
                    && unconfirmed.closeIfOverdue(old.renewal().get())) {
                // Closed just now: its slot is free, a renewal with new keys starts afresh from the old pair.
                old = pairs.load(bound.pairId());
            }
            requireNotRevoked(old);
            // RFC 7030 §4.2.2: the subject MUST be identical to the current certificate's.
            if (!signing.hasSubject(old.signingCertificate().getSubjectX500Principal())
                    || !encryption.hasSubject(old.encryptionSubject())) {
                throw new RaException(
                        ErrorCode.CSR_SUBJECT_MISMATCH, "a CSR subject differs from the current certificate's");
            }
            HolderKeys.requireAllowed(signing.publicKey(), "signing");
            HolderKeys.requireAllowed(encryption.publicKey(), "encryption");

            Optional<Renewal> existing = old.renewal();
            AuditAction action = existing.isPresent() ? AuditAction.RENEWAL_RESUMED : AuditAction.RENEWAL_ISSUED;
            // Issued by this request: the outcome is committed with the certificates (one transaction, issue 14).
            Function<RenewalIssuance.Issuance, AuditEvent> record =
                    done -> outcome(serial, action, done.renewal(), done.certificates(), from);
            RenewalIssuance.Issuance outcome = existing.isPresent()
                    ? resume(existing.get(), signing, encryption, old, from, record)
                    : claimAndIssue(signing, encryption, old, from, record);
            Renewal renewal = outcome.renewal();
            renewalId = renewal.id().toString();
            // Issued by this request: its certificates are at hand. Issued earlier: read them.
            List<StoredCertificate> issued =
                    renewal.newPair() == null || !outcome.certificates().isEmpty()
                            ? outcome.certificates()
                            : certificates.findByPair(renewal.newPair());
            if (!outcome.recorded()) {
                audit.record(outcome(serial, action, renewal, issued, from));
            }
            return responses.of(renewal, old.signing().notAfter(), issued);
        } catch (RaException e) {
            throw refused(e, serial, renewalId, from);
        }
    }

    private static AuditEvent outcome(
            String serial, AuditAction action, Renewal renewal, List<StoredCertificate> issued, ClientAddress from) {
        return AuditEvent.success(serial, action, from)
                .code(renewal.state().name())
                .certificate(serial)
                .certificates(issued.stream().map(StoredCertificate::serial).toList())
                .renewal(renewal.id().toString());
    }

    private RaException refused(RaException e, String serial, String renewalId, ClientAddress from) {
        AuditOutcome outcome = e.code() == ErrorCode.CA_UNAVAILABLE || e.code() == ErrorCode.INTERNAL_ERROR
                ? AuditOutcome.ERROR
                : AuditOutcome.REFUSED;
        audit.record(AuditEvent.of(
                        AuditEvent.cardOrAnonymous(serial),
                        AuditAction.RENEWAL_REFUSED,
                        outcome,
                        e.code().name(),
                        from)
                .certificate(serial)
                .renewal(renewalId)
                .detail(e.getMessage()));
        return e;
    }

    private RenewalIssuance.Issuance claimAndIssue(
            CertificationRequest signing,
            CertificationRequest encryption,
            CurrentPair old,
            ClientAddress from,
            Function<RenewalIssuance.Issuance, AuditEvent> record) {
        requireStatus(old, CertificateStatus.RENEWABLE);
        try {
            newKeys.requireNotCurrent(signing.keyHash(), encryption.keyHash(), old);
        } catch (RaException notNew) {
            return racedOrRefused(notNew, signing, encryption, old, from, record);
        }
        NewKeys.requireDistinct(signing.keyHash(), encryption.keyHash());
        Renewal claim = new Renewal(
                RenewalId.random(),
                old.pair().id(),
                RenewalState.REQUESTED,
                signing.keyHash(),
                encryption.keyHash(),
                Der.of(signing.publicKey().getEncoded()),
                Der.of(encryption.publicKey().getEncoded()),
                null,
                clock.instant(),
                null,
                null);
        boolean claimed;
        try {
            // Committed with its issuance intent: the UNIQUE old_pair_id makes this the one renewal of the pair. The
            // same statement checks that neither key was used before (issue 14: no read of its own).
            claimed = issuance.claim(claim, old, from);
        } catch (DuplicateKeyException lostRace) {
            Renewal winner = renewals.findByOldPair(old.pair().id())
                    .orElseThrow(() ->
                            new RaException(ErrorCode.INTERNAL_ERROR, "renewal slot taken but not found", lostRace));
            return resume(winner, signing, encryption, old, from, record);
        }
        if (!claimed) {
            return racedOrRefused(
                    newKeys.usedBefore(signing.keyHash(), encryption.keyHash(), old),
                    signing,
                    encryption,
                    old,
                    from,
                    record);
        }
        return issuance.issueClaimed(claim, old, record);
    }

    /**
     * A key of the request is not new. An identical request may have claimed and issued since this one read the pair:
     * that is a resume. Keys of this card's renewal closed unconfirmed are RENEWAL_EXPIRED; otherwise {@code notNew}.
     */
    private RenewalIssuance.Issuance racedOrRefused(
            RaException notNew,
            CertificationRequest signing,
            CertificationRequest encryption,
            CurrentPair old,
            ClientAddress from,
            Function<RenewalIssuance.Issuance, AuditEvent> record) {
        Optional<Renewal> raced = renewals.findByOldPair(old.pair().id());
        if (raced.isPresent()) {
            return resume(raced.get(), signing, encryption, old, from, record);
        }
        unconfirmed.requireNotClosed(old.pair().id(), signing.keyHash(), encryption.keyHash());
        throw notNew;
    }

    /** The pair already has a renewal: the same keys resume it; other keys are a conflict unless it was abandoned. */
    private RenewalIssuance.Issuance resume(
            Renewal existing,
            CertificationRequest signing,
            CertificationRequest encryption,
            CurrentPair old,
            ClientAddress from,
            Function<RenewalIssuance.Issuance, AuditEvent> record) {
        if (!existing.hasKeys(signing.keyHash(), encryption.keyHash())) {
            if (abandoned(existing)) {
                return takeOver(existing, signing, encryption, old, from, record);
            }
            if (existing.open()) {
                throw new RaException(
                        ErrorCode.RENEWAL_IN_PROGRESS,
                        "renewal " + existing.id() + " with other keys is " + existing.state());
            }
            throw new RaException(ErrorCode.ALREADY_RENEWED, "renewal " + existing.id() + " completed with other keys");
        }
        if (existing.state() != RenewalState.REQUESTED) {
            return RenewalIssuance.Issuance.found(existing);
        }
        // Nothing issued yet (interrupted before or during issuance): issue now, if the old pair still may be renewed.
        requireStatus(pairs.load(old.pair().id()), CertificateStatus.RENEWAL_IN_PROGRESS);
        return issuance.issue(existing, old, from, record);
    }

    /** Nothing was issued and nobody came back with the claimed keys for a while (card keys lost, server crashed). */
    private boolean abandoned(Renewal existing) {
        return existing.state() == RenewalState.REQUESTED
                && existing.requestedAt().plus(properties.abandonedAfter()).isBefore(clock.instant());
    }

    private RenewalIssuance.Issuance takeOver(
            Renewal abandoned,
            CertificationRequest signing,
            CertificationRequest encryption,
            CurrentPair old,
            ClientAddress from,
            Function<RenewalIssuance.Issuance, AuditEvent> record) {
        requireStatus(pairs.load(old.pair().id()), CertificateStatus.RENEWAL_IN_PROGRESS);
        newKeys.requireNew(signing.keyHash(), encryption.keyHash(), old);
        NewKeys.requireDistinct(signing.keyHash(), encryption.keyHash());
        // PostgreSQL and H2 store microseconds: the renewal passed on is the one stored.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Renewal takenOver = abandoned.takenOver(
                signing.keyHash(),
                encryption.keyHash(),
                Der.of(signing.publicKey().getEncoded()),
                Der.of(encryption.publicKey().getEncoded()),
                now);
        if (!renewals.takeOver(
                takenOver.id(),
                takenOver.signingKeyHash(),
                takenOver.encryptionKeyHash(),
                takenOver.signingKey(),
                takenOver.encryptionKey(),
                now,
                now.minus(properties.abandonedAfter()))) {
            throw new RaException(
                    ErrorCode.RENEWAL_IN_PROGRESS, "renewal " + abandoned.id() + " was resumed meanwhile");
        }
        return issuance.issue(takenOver, old, from, record);
    }

    /** A revoked card renews nothing, not even a renewal already issued to it (issue 12: revocation of a card). */
    private void requireNotRevoked(CurrentPair pair) {
        if (window.statusOf(pair.facts(), clock.instant()) == CertificateStatus.REVOKED) {
            throw new RaException(
                    ErrorCode.CERTIFICATE_REVOKED,
                    "certificate " + pair.signing().serial() + " is REVOKED");
        }
    }

    private void requireStatus(CurrentPair pair, CertificateStatus wanted) {
        CertificateStatus status = window.statusOf(pair.facts(), clock.instant());
        if (status == wanted) {
            return;
        }
        throw new RaException(
                RenewalWindow.refusalFor(status),
                "certificate " + pair.signing().serial() + " is " + status);
    }
}
