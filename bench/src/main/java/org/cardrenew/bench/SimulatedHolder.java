package org.cardrenew.bench;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.security.auth.x500.X500Principal;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.EnrollmentResponse;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.RaRefusedException;

/**
 * A holder whose card is simulated with software keys: the enrolled (current) pair and the next pair with its
 * two renewal CSRs, all prepared before the timed part so the load measures the server, not key generation.
 */
final class SimulatedHolder {

    /** 20 days left of a one-year certificate: inside the default 30-day renewal window. */
    static final Duration LEFT = Duration.ofDays(20);
    static final Duration LIFETIME = Duration.ofDays(365);

    final String holderId;
    final KeyPair signingKeys;
    final X509Certificate signingCertificate;
    final String signingCertificateBase64;
    final X500Principal subject;
    KeyPair nextSigningKeys;
    KeyPair nextEncryptionKeys;
    String nextSigningCsr;
    String nextEncryptionCsr;

    private SimulatedHolder(String holderId, KeyPair signingKeys, X509Certificate signingCertificate, String base64) {
        this.holderId = holderId;
        this.signingKeys = signingKeys;
        this.signingCertificate = signingCertificate;
        this.signingCertificateBase64 = base64;
        this.subject = signingCertificate.getSubjectX500Principal();
    }

    /**
     * Enrolls a new card through the admin API with a validity that puts it inside the renewal window now, then
     * generates the next key pair and the renewal CSRs with the issued subject (RFC 7030 §4.2.2).
     */
    static SimulatedHolder enroll(RaClient ra, String adminToken, String holderId, HolderKeyType keyType, Instant now,
            boolean prepareCsrs) throws IOException, RaRefusedException {
        KeyPair signing = keyType.generate();
        KeyPair encryption = keyType.generate();
        // The server decides the subject of an enrollment; the CSRs only prove possession.
        X500Principal placeholder = new X500Principal("CN=" + holderId);
        Instant notAfter = now.plus(LEFT);
        EnrollmentResponse enrolled = ra.enroll(new EnrollmentRequest(holderId, "Bench Holder " + holderId,
                "CardRenew Bench Agency", null, "en",
                SoftwareKeys.base64(SoftwareKeys.certificationRequest(signing, placeholder)),
                SoftwareKeys.base64(SoftwareKeys.certificationRequest(encryption, placeholder)),
                notAfter.minus(LIFETIME), notAfter), adminToken);
        SimulatedHolder holder = new SimulatedHolder(holderId, signing,
                SoftwareKeys.certificate(enrolled.signingCertificate()), enrolled.signingCertificate());
        holder.nextSigningKeys = keyType.generate();
        holder.nextEncryptionKeys = keyType.generate();
        if (prepareCsrs) {
            holder.prepareCsrs();
        }
        return holder;
    }

    /** The two renewal CSRs over the new keys, with the current certificate's subject byte for byte. */
    void prepareCsrs() {
        nextSigningCsr = SoftwareKeys.base64(SoftwareKeys.certificationRequest(nextSigningKeys, subject));
        nextEncryptionCsr = SoftwareKeys.base64(SoftwareKeys.certificationRequest(nextEncryptionKeys, subject));
    }
}
