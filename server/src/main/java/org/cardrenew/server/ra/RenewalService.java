package org.cardrenew.server.ra;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
import org.cardrenew.server.store.KeyHash;
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
    private final RenewalIssuance issuance;
    private final RenewalResponses responses;
    private final RenewalProperties properties;
    private final AuditLog audit;
    private final Clock clock;

    public RenewalService(RenewalTokens tokens, CertificateRepository certificates, RenewalRepository renewals,
            CardPairs pairs, RenewalWindow window, RenewalIssuance issuance, RenewalResponses responses,
            RenewalProperties properties, AuditLog audit, Clock clock) {
        this.properties = properties;
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

    public RenewalResponse renew(RenewalRequest request, ClientAddress from) {
        String serial = null;
        StoredCertificate bound;
        CertificationRequest signing;
        CertificationRequest encryption;
        try {
            if (request == null || request.renewalToken() == null || request.signingCsr() == null
                    || request.encryptionCsr() == null) {
                throw new RaException(ErrorCode.REQUEST_INVALID, "renewalToken, signingCsr and encryptionCsr are required");
            }
            bound = certificates.find(tokens.resolve(request.renewalToken())).orElseThrow();
            serial = bound.serial();
            signing = CertificationRequest.parse(request.signingCsr(), "signingCsr");
            encryption = CertificationRequest.parse(request.encryptionCsr(), "encryptionCsr");
        } catch (RaException e) {
            throw refused(e, serial, null, from);
        }
        return renewAuthenticated(bound, signing, encryption, from);
    }

    /**
     * The same renewal for the standard protocols (CMP kur, EST simplereenroll): the caller authenticated the card's
     * current signing certificate by a protocol signature (instead of a renewal token) and verified both proofs of
     * possession (CRMF POP or PKCS#10 signature). Same checks, state machine and audit as {@link #renew}.
     */
    public RenewalResponse renewAuthenticated(StoredCertificate bound, CertificationRequest signing,
            CertificationRequest encryption, ClientAddress from) {
        String serial = bound.serial();
        String renewalId = null;
        try {
            CurrentPair old = pairs.load(bound.pairId());
            // RFC 7030 §4.2.2: the subject MUST be identical to the current certificate's.
            if (!signing.hasSubject(old.signingCertificate().getSubjectX500Principal())
                    || !encryption.hasSubject(old.encryptionCertificate().getSubjectX500Principal())) {
                throw new RaException(ErrorCode.CSR_SUBJECT_MISMATCH, "a CSR subject differs from the current certificate's");
            }
            HolderKeys.requireAllowed(signing.publicKey(), "signing");
            HolderKeys.requireAllowed(encryption.publicKey(), "encryption");

            Optional<Renewal> existing = old.renewal();
            Renewal renewal;
            if (existing.isPresent()) {
                renewal = resume(existing.get(), signing, encryption, old);
            } else {
                renewal = claimAndIssue(signing, encryption, old);
            }
            renewalId = renewal.id().toString();
            List<StoredCertificate> issued = renewal.newPair() == null ? List.of() : certificates.findByPair(renewal.newPair());
            RenewalResponse response = responses.of(renewal, old.signing().notAfter(), issued);
            audit.record(new AuditEvent(serial, existing.isPresent() ? AuditAction.RENEWAL_RESUMED : AuditAction.RENEWAL_ISSUED,
                    AuditOutcome.SUCCESS, renewal.state().name(), serials(serial, issued), renewalId, null, from));
            return response;
        } catch (RaException e) {
            throw refused(e, serial, renewalId, from);
        }
    }

    private RaException refused(RaException e, String serial, String renewalId, ClientAddress from) {
        audit.record(new AuditEvent(serial == null ? AuditEvent.ANONYMOUS : serial, AuditAction.RENEWAL_REFUSED,
                e.code() == ErrorCode.CA_UNAVAILABLE || e.code() == ErrorCode.INTERNAL_ERROR ? AuditOutcome.ERROR
                        : AuditOutcome.REFUSED,
                e.code().name(), serial, renewalId, e.getMessage(), from));
        return e;
    }

    private Renewal claimAndIssue(CertificationRequest signing, CertificationRequest encryption, CurrentPair old) {
        requireStatus(old, CertificateStatus.RENEWABLE);
        try {
            requireNew(signing.keyHash(), encryption.keyHash(), old);
        } catch (RaException notNew) {
            // An identical request may have claimed and issued since this one read the pair: that is a resume.
            Optional<Renewal> raced = renewals.findByOldPair(old.pair().id());
            if (raced.isPresent()) {
                return resume(raced.get(), signing, encryption, old);
            }
            throw notNew;
        }
        if (signing.keyHash().equals(encryption.keyHash())) {
            throw new RaException(ErrorCode.KEYS_IDENTICAL, "the signing and the encryption key are the same key");
        }
        Renewal claim = new Renewal(RenewalId.random(), old.pair().id(), RenewalState.REQUESTED, signing.keyHash(),
                encryption.keyHash(), signing.publicKey().getEncoded(), encryption.publicKey().getEncoded(), null,
                clock.instant(), null, null);
        try {
            // Committed on its own: the UNIQUE old_pair_id makes this the one renewal of the pair, on every node.
            renewals.insertRequested(claim);
        } catch (DuplicateKeyException lostRace) {
            Renewal winner = renewals.findByOldPair(old.pair().id())
                    .orElseThrow(() -> new RaException(ErrorCode.INTERNAL_ERROR, "renewal slot taken but not found", lostRace));
            return resume(winner, signing, encryption, old);
        }
        return issuance.complete(claim.id(), claim.signingKeyHash(), claim.encryptionKeyHash(), old);
    }

    /** The pair already has a renewal: the same keys resume it; other keys are a conflict unless it was abandoned. */
    private Renewal resume(Renewal existing, CertificationRequest signing, CertificationRequest encryption, CurrentPair old) {
        if (!existing.hasKeys(signing.keyHash(), encryption.keyHash())) {
            if (abandoned(existing)) {
                return takeOver(existing, signing, encryption, old);
            }
            if (existing.open()) {
                throw new RaException(ErrorCode.RENEWAL_IN_PROGRESS,
                        "renewal " + existing.id() + " with other keys is " + existing.state());
            }
            throw new RaException(ErrorCode.ALREADY_RENEWED, "renewal " + existing.id() + " completed with other keys");
        }
        if (existing.state() != RenewalState.REQUESTED) {
            return existing;
        }
        // Nothing issued yet (interrupted before or during issuance): issue now, if the old pair still may be renewed.
        requireStatus(pairs.load(old.pair().id()), CertificateStatus.RENEWAL_IN_PROGRESS);
        return issuance.complete(existing.id(), signing.keyHash(), encryption.keyHash(), old);
    }

    /** Nothing was issued and nobody came back with the claimed keys for a while (card keys lost, server crashed). */
    private boolean abandoned(Renewal existing) {
        return existing.state() == RenewalState.REQUESTED
                && existing.requestedAt().plus(properties.abandonedAfter()).isBefore(clock.instant());
    }

    private Renewal takeOver(Renewal abandoned, CertificationRequest signing, CertificationRequest encryption,
            CurrentPair old) {
        requireStatus(pairs.load(old.pair().id()), CertificateStatus.RENEWAL_IN_PROGRESS);
        requireNew(signing.keyHash(), encryption.keyHash(), old);
        if (signing.keyHash().equals(encryption.keyHash())) {
            throw new RaException(ErrorCode.KEYS_IDENTICAL, "the signing and the encryption key are the same key");
        }
        Instant now = clock.instant();
        if (!renewals.takeOver(abandoned.id(), signing.keyHash(), encryption.keyHash(), signing.publicKey().getEncoded(),
                encryption.publicKey().getEncoded(), now, now.minus(properties.abandonedAfter()))) {
            throw new RaException(ErrorCode.RENEWAL_IN_PROGRESS, "renewal " + abandoned.id() + " was resumed meanwhile");
        }
        return issuance.complete(abandoned.id(), signing.keyHash(), encryption.keyHash(), old);
    }

    private void requireStatus(CurrentPair pair, CertificateStatus wanted) {
        CertificateStatus status = window.statusOf(pair.facts(), clock.instant());
        if (status == wanted) {
            return;
        }
        ErrorCode code = switch (status) {
            case EXPIRED -> ErrorCode.CERTIFICATE_EXPIRED;
            case REVOKED -> ErrorCode.CERTIFICATE_REVOKED;
            case NOT_YET_RENEWABLE -> ErrorCode.NOT_YET_RENEWABLE;
            case ALREADY_RENEWED -> ErrorCode.ALREADY_RENEWED;
            case RENEWAL_IN_PROGRESS -> ErrorCode.RENEWAL_IN_PROGRESS;
            case UNKNOWN -> ErrorCode.CERTIFICATE_UNKNOWN;
            case RENEWABLE -> ErrorCode.INTERNAL_ERROR;
        };
        throw new RaException(code, "certificate " + pair.signing().serial() + " is " + status);
    }

    /**
     * Keys must be new: not the card's current keys, not any key this CA ever certified or was asked to. One query
     * for both keys; only when it finds one are they looked at one by one, to name the field.
     */
    private void requireNew(KeyHash signing, KeyHash encryption, CurrentPair old) {
        if (!renewals.eitherKeyUsedBefore(signing, encryption, old.pair().id())) {
            requireNotCurrent(signing, old, "signing");
            requireNotCurrent(encryption, old, "encryption");
            return;
        }
        requireNew(signing, old, "signing");
        requireNew(encryption, old, "encryption");
    }

    private void requireNotCurrent(KeyHash key, CurrentPair old, String field) {
        if (key.equals(old.signing().keyHash()) || key.equals(old.encryption().keyHash())) {
            throw new RaException(ErrorCode.KEY_NOT_NEW, field + " key is a key of the current card pair");
        }
    }

    private void requireNew(KeyHash key, CurrentPair old, String field) {
        requireNotCurrent(key, old, field);
        if (certificates.keyCertified(key) || renewals.keyClaimedByOtherPair(key, old.pair().id())) {
            throw new RaException(ErrorCode.KEY_NOT_NEW, field + " key was certified (or requested) before");
        }
    }

    private static String serials(String oldSerial, List<StoredCertificate> issued) {
        StringBuilder all = new StringBuilder(oldSerial);
        issued.forEach(c -> all.append(',').append(c.serial()));
        return all.toString();
    }
}
