package org.cardrenew.bench;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.security.auth.x500.X500Principal;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.EnrollmentResponse;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.RaRefusedException;

/**
 * A holder whose card is simulated with software keys: the current signing key with its certificate, and
 * prepared next generations (two new key pairs and, unless they are signed in the timed loop, their CSRs).
 *
 * <p>The card is enrolled with a 21-day certificate that has 20 days left: inside the default 30-day window. A
 * renewal keeps the original length (issue 2), so the renewed certificate is renewable again, and one holder can
 * renew once per prepared generation. The timed part then measures renewals only, not enrollments.
 */
final class SimulatedHolder {

    static final Duration LEFT = Duration.ofDays(20);
    static final Duration LIFETIME = Duration.ofDays(21);

    /** The next key pairs of the card, with their renewal CSRs when prepared before the timed part. */
    static final class Generation {
        final KeyPair signing;
        final KeyPair encryption;
        String signingCsr;
        String encryptionCsr;

        Generation(KeyPair signing, KeyPair encryption) {
            this.signing = signing;
            this.encryption = encryption;
        }

        /** The two renewal CSRs, with the current certificate's subject byte for byte (RFC 7030 §4.2.2). */
        void signCsrs(X500Principal subject) {
            signingCsr = SoftwareKeys.base64(SoftwareKeys.certificationRequest(signing, subject));
            encryptionCsr = SoftwareKeys.base64(SoftwareKeys.certificationRequest(encryption, subject));
        }
    }

    final String holderId;
    final X500Principal subject;
    private final Deque<Generation> generations = new ArrayDeque<>();
    KeyPair signingKeys;
    String signingCertificateBase64;

    private SimulatedHolder(String holderId, KeyPair signingKeys, String certificateBase64) {
        this.holderId = holderId;
        this.signingKeys = signingKeys;
        this.signingCertificateBase64 = certificateBase64;
        this.subject = SoftwareKeys.certificate(certificateBase64).getSubjectX500Principal();
    }

    /** Enrolls a new card through the admin API, with a validity inside the renewal window. */
    static SimulatedHolder enroll(RaClient ra, String adminToken, String holderId, HolderKeyType keyType, Instant now)
            throws IOException, RaRefusedException {
        KeyPair signing = keyType.generate();
        KeyPair encryption = keyType.generate();
        // The server decides the subject of an enrollment; the CSRs only prove possession.
        X500Principal placeholder = new X500Principal("CN=" + holderId);
        Instant notAfter = now.plus(LEFT);
        EnrollmentResponse enrolled = ra.enroll(
                new EnrollmentRequest(
                        holderId,
                        "Bench Holder " + holderId,
                        "CardRenew Bench Agency",
                        null,
                        "en",
                        SoftwareKeys.base64(SoftwareKeys.certificationRequest(signing, placeholder)),
                        SoftwareKeys.base64(SoftwareKeys.certificationRequest(encryption, placeholder)),
                        notAfter.minus(LIFETIME),
                        notAfter),
                adminToken);
        return new SimulatedHolder(holderId, signing, enrolled.signingCertificate());
    }

    /** Generates the next key pairs (untimed set-up) and, unless {@code csrInLoop}, signs their CSRs now. */
    synchronized void prepare(int count, HolderKeyType keyType, boolean csrInLoop) {
        for (int i = 0; i < count; i++) {
            Generation g = new Generation(keyType.generate(), keyType.generate());
            if (!csrInLoop) {
                g.signCsrs(subject);
            }
            generations.addLast(g);
        }
    }

    /** The next prepared generation, or null when all are used. */
    synchronized Generation nextGeneration() {
        return generations.pollFirst();
    }

    synchronized int prepared() {
        return generations.size();
    }

    /** After a completed renewal the new signing key and certificate are the card's current ones. */
    synchronized void renewed(Generation g, String newSigningCertificateBase64) {
        signingKeys = g.signing;
        signingCertificateBase64 = newSigningCertificateBase64;
    }
}
