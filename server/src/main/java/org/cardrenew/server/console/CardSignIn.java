package org.cardrenew.server.console;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.protocol.SignatureAlgorithms;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.ChallengeId;
import org.cardrenew.server.store.ChallengeRepository;
import org.cardrenew.server.store.ConsoleCardRepository;
import org.cardrenew.server.store.ConsoleUserRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.stereotype.Service;

/**
 * Officer sign-in with a smart card: the card signs a fresh one-time challenge exactly as for a status check
 * (SignedPayloads.status, so the existing bridge can do it); the signing certificate must be this CA's, current,
 * unrevoked, and bound by an administrator to a console user, whose role then applies.
 */
@Service
public class CardSignIn {

    /** Who signed in. */
    public record Officer(String name, ConsoleRole role, String certificateSerial) {}

    private final ChallengeRepository challenges;
    private final CertificateRepository certificates;
    private final CertificateAuthority ca;
    private final ConsoleCardRepository cards;
    private final ConsoleUserRepository users;
    private final Clock clock;

    public CardSignIn(ChallengeRepository challenges, CertificateRepository certificates, CertificateAuthority ca,
            ConsoleCardRepository cards, ConsoleUserRepository users, Clock clock) {
        this.challenges = challenges;
        this.certificates = certificates;
        this.ca = ca;
        this.cards = cards;
        this.users = users;
        this.clock = clock;
    }

    /** The officer, or empty for anything wrong (the reason is not told to the client). */
    public Optional<Officer> signIn(StatusRequest request) {
        if (request == null || request.challengeId() == null || request.certificate() == null
                || request.signature() == null || request.signatureAlgorithm() == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<ChallengeId> id = ChallengeId.parse(request.challengeId());
        // single use: consumed before anything else is checked, so a failed attempt cannot be retried
        if (id.isEmpty() || !challenges.consume(id.get(), now)) {
            return Optional.empty();
        }
        String nonce = challenges.find(id.get()).orElseThrow().nonce();
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getMimeDecoder().decode(request.certificate())));
            String serial = certificate.getSerialNumber().toString(16);
            Optional<StoredCertificate> stored = ca.isIssuerOf(certificate) ? certificates.findBySerial(serial)
                    : Optional.empty();
            if (stored.isEmpty() || stored.get().kind() != CertificateKind.SIGNING || stored.get().revoked()
                    || !Arrays.equals(stored.get().der(), certificate.getEncoded())
                    || now.isBefore(stored.get().notBefore()) || !now.isBefore(stored.get().notAfter())
                    || !verifies(certificate.getPublicKey(), request.signatureAlgorithm(),
                            SignedPayloads.status(nonce), Base64.getDecoder().decode(request.signature()))) {
                return Optional.empty();
            }
            return cards.userOf(serial).flatMap(users::find)
                    .map(u -> new Officer(u.name(), ConsoleRole.valueOf(u.role()), serial));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException unreadable) {
            return Optional.empty();
        }
    }

    private static boolean verifies(PublicKey key, String algorithm, byte[] payload, byte[] signature) {
        if (!SignatureAlgorithms.ALLOWED.contains(algorithm)
                || (key instanceof ECKey) != algorithm.endsWith("withECDSA")) {
            return false;
        }
        // PKCS#11 CKM_ECDSA gives r||s (IEEE P1363): accept it as the status check does
        return verifies1(key, algorithm, payload, signature)
                || (key instanceof ECKey && verifies1(key, algorithm + "inP1363Format", payload, signature));
    }

    private static boolean verifies1(PublicKey key, String algorithm, byte[] payload, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(payload);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
