package org.cardrenew.agent.renewal;

import java.security.cert.X509Certificate;
import java.time.Instant;
import org.cardrenew.protocol.StatusResponse;

/**
 * How a renewal run ended when nothing failed.
 *
 * @param result                 renewed (now or by finishing an interrupted run) or not renewable
 * @param status                 the RA's status answer for the card's current signing certificate
 * @param renewalId              the renewal, when there is one
 * @param signingCertificate     the new signing certificate on the card (null when not renewed)
 * @param encryptionCertificate  the new encryption certificate on the card (null when not renewed)
 * @param previousNotAfter       end of the replaced certificates' validity, when the RA reported it
 * @param resumed                true when this run completed an interrupted renewal
 * @param previousRenewalClosed  true when the card's previous renewal had been closed by the server, never confirmed
 *                               in time (status {@code EXPIRED_UNCONFIRMED}, or {@code RENEWAL_EXPIRED} for its keys):
 *                               what it left on the card was discarded and this run renewed afresh (issue 12)
 */
public record RenewalOutcome(
        Result result,
        StatusResponse status,
        String renewalId,
        X509Certificate signingCertificate,
        X509Certificate encryptionCertificate,
        Instant previousNotAfter,
        boolean resumed,
        boolean previousRenewalClosed) {

    public RenewalOutcome(
            Result result,
            StatusResponse status,
            String renewalId,
            X509Certificate signingCertificate,
            X509Certificate encryptionCertificate,
            Instant previousNotAfter,
            boolean resumed) {
        this(result, status, renewalId, signingCertificate, encryptionCertificate, previousNotAfter, resumed, false);
    }

    /** This outcome, for a run that followed a renewal the server had closed unconfirmed. */
    RenewalOutcome afterClosedRenewal() {
        return new RenewalOutcome(
                result, status, renewalId, signingCertificate, encryptionCertificate, previousNotAfter, resumed, true);
    }

    /** How the run ended. */
    public enum Result {
        RENEWED,
        NOT_RENEWABLE
    }

    static RenewalOutcome notRenewable(StatusResponse status) {
        return new RenewalOutcome(Result.NOT_RENEWABLE, status, status.renewalId(), null, null, null, false);
    }

    /** New validity end, from the new signing certificate. */
    public Instant notAfter() {
        return signingCertificate == null
                ? null
                : signingCertificate.getNotAfter().toInstant();
    }

    public Instant notBefore() {
        return signingCertificate == null
                ? null
                : signingCertificate.getNotBefore().toInstant();
    }
}
