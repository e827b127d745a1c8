package org.cardrenew.agent.report;

import java.security.cert.X509Certificate;
import java.time.Instant;
import org.cardrenew.agent.renewal.RenewalOutcome;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.StatusResponse;

/**
 * How a renewal ended, in the one shape the bridge's session ({@code result}) and {@code cardrenew renew --json}
 * both give.
 *
 * @param result                      RENEWED (now, or by finishing an interrupted renewal) or NOT_RENEWABLE
 * @param status                      the RA's status of the card's current certificate when the run began
 * @param previous                    validity of the certificates the renewal replaces (the current ones when not renewed)
 * @param renewed                     validity of the new certificates; null when not renewed
 * @param renewalWindowOpens          when a not-yet-renewable card can be renewed
 * @param message                     the RA's status message, in the holder's language
 * @param previousRenewalClosed       the card's previous renewal had been closed unconfirmed by the server (its
 *                                    certificates revoked); this run discarded what it left and renewed afresh
 */
public record RenewalReport(
        RenewalOutcome.Result result,
        CertificateStatus status,
        String renewalId,
        boolean resumed,
        Validity previous,
        Validity renewed,
        String signingCertificateSerial,
        String encryptionCertificateSerial,
        Instant renewalWindowOpens,
        String message,
        boolean previousRenewalClosed) {

    /** A certificate's validity period. */
    public record Validity(Instant notBefore, Instant notAfter) {}

    public static RenewalReport of(RenewalOutcome outcome) {
        StatusResponse status = outcome.status();
        // The RA reports the replaced certificates' end when it issues; before, its status answer is all we know.
        Instant previousNotAfter = outcome.previousNotAfter() != null ? outcome.previousNotAfter() : status.notAfter();
        Validity renewed =
                outcome.signingCertificate() == null ? null : new Validity(outcome.notBefore(), outcome.notAfter());
        return new RenewalReport(
                outcome.result(),
                status.status(),
                outcome.renewalId(),
                outcome.resumed(),
                new Validity(status.notBefore(), previousNotAfter),
                renewed,
                serial(outcome.signingCertificate()),
                serial(outcome.encryptionCertificate()),
                status.renewalWindowOpens(),
                status.message(),
                outcome.previousRenewalClosed());
    }

    private static String serial(X509Certificate certificate) {
        return certificate == null ? null : certificate.getSerialNumber().toString(16);
    }
}
