package org.cardrenew.server.ra;

import java.security.PublicKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.ca.CertificateProfile;
import org.cardrenew.ca.IssuanceException;
import org.cardrenew.ca.IssuanceRequest;
import org.cardrenew.ca.IssuedCertificate;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.store.CardPairRepository;
import org.cardrenew.server.store.CertificateId;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.Der;
import org.cardrenew.server.store.HolderId;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.NewCertificate;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * Has the CA issue a signing and an encryption certificate and stores them as one pair. Runs inside the caller's
 * transaction: if storing fails, the pair and its rows roll back together.
 */
@Component
public class PairIssuer {

    private final CertificateAuthority ca;
    private final CardPairRepository pairs;
    private final CertificateRepository certificates;
    private final Clock clock;

    public PairIssuer(
            CertificateAuthority ca, CardPairRepository pairs, CertificateRepository certificates, Clock clock) {
        this.ca = ca;
        this.pairs = pairs;
        this.certificates = certificates;
        this.clock = clock;
    }

    /** A new pair of the holder's, with both certificates. */
    public IssuedPair issue(
            HolderId holder,
            X500Principal signingSubject,
            PublicKey signingKey,
            X500Principal encryptionSubject,
            PublicKey encryptionKey,
            Validity validity) {
        return issueInto(
                pairs.create(holder, clock.instant()),
                List.of(),
                signingSubject,
                signingKey,
                encryptionSubject,
                encryptionKey,
                validity);
    }

    /**
     * Both certificates, into {@code pair}: a pair the caller created in this transaction, still empty. With no
     * {@code reservedIds} they are stored at once and take their ids from the table; with the two ids taken for them
     * ahead (signing, encryption: {@link org.cardrenew.server.store.IssuanceStart}) they are stored under those with
     * the transaction's commit, where a key certified concurrently then fails ({@link #certifiedConcurrently}).
     */
    public IssuedPair issueInto(
            PairId pair,
            List<CertificateId> reservedIds,
            X500Principal signingSubject,
            PublicKey signingKey,
            X500Principal encryptionSubject,
            PublicKey encryptionKey,
            Validity validity) {
        IssuedCertificate signing = issueOne(signingSubject, signingKey, CertificateProfile.SIGNING, validity);
        IssuedCertificate encryption =
                issueOne(encryptionSubject, encryptionKey, CertificateProfile.ENCRYPTION, validity);
        String signingDn = Subjects.text(signing.subject());
        // A holder's two certificates usually carry the same name: its text is rendered once then (issue 14).
        String encryptionDn = Arrays.equals(
                        signing.subject().getEncoded(), encryption.subject().getEncoded())
                ? signingDn
                : Subjects.text(encryption.subject());
        NewCertificate newSigning = toStore(CertificateKind.SIGNING, signing, signingDn);
        NewCertificate newEncryption = toStore(CertificateKind.ENCRYPTION, encryption, encryptionDn);
        List<CertificateId> ids = reservedIds;
        if (ids.isEmpty()) {
            try {
                ids = certificates.insertPair(pair, newSigning, newEncryption);
            } catch (DuplicateKeyException e) {
                throw certifiedConcurrently(e);
            }
        } else {
            certificates.insertPairAtCommit(pair, ids, newSigning, newEncryption);
        }
        List<StoredCertificate> stored =
                List.of(stored(ids.get(0), pair, newSigning), stored(ids.get(1), pair, newEncryption));
        return new IssuedPair(pair, signing, encryption, stored);
    }

    /** The UNIQUE key hash refused a certificate: another request certified one of these keys a moment ago. */
    static RaException certifiedConcurrently(DuplicateKeyException e) {
        return new RaException(ErrorCode.KEY_NOT_NEW, "a key of this request was certified concurrently", e);
    }

    /** The row {@link CertificateRepository#insertPair} just wrote, as reading it back would give it. */
    private static StoredCertificate stored(CertificateId id, PairId pair, NewCertificate c) {
        return new StoredCertificate(
                id, pair, c.kind(), c.serial(), c.subjectDn(), c.notBefore(), c.notAfter(), c.keyHash(), c.der(), null);
    }

    private IssuedCertificate issueOne(
            X500Principal subject, PublicKey key, CertificateProfile profile, Validity validity) {
        try {
            return ca.issue(new IssuanceRequest(subject, key, profile, validity.notBefore(), validity.notAfter()));
        } catch (IssuanceException e) {
            ErrorCode code = switch (e.reason()) {
                case KEY_TYPE_UNSUPPORTED -> ErrorCode.KEY_TYPE_UNSUPPORTED;
                case VALIDITY_INVALID -> ErrorCode.VALIDITY_INVALID;
                case CA_UNAVAILABLE -> ErrorCode.CA_UNAVAILABLE;
            };
            throw new RaException(code, "CA refused " + profile + ": " + e.getMessage(), e);
        }
    }

    /** The row of a certificate just signed, from the CA's own structure: the certificate is not parsed back. */
    private static NewCertificate toStore(CertificateKind kind, IssuedCertificate c, String subjectDn) {
        return new NewCertificate(
                kind,
                c.serial().hex(),
                subjectDn,
                c.notBefore(),
                c.notAfter(),
                KeyHash.ofSpki(c.subjectPublicKeyInfo()),
                Der.of(c.der()));
    }
}
