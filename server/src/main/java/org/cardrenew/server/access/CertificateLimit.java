package org.cardrenew.server.access;

import java.time.Duration;
import org.cardrenew.server.ra.Base64Field;
import org.cardrenew.server.store.KeyHash;

/**
 * The per-certificate limit of status checks, taken on the parsed request with the RA's own decoder: every spelling
 * the RA accepts for one certificate (base64 or base64url, whitespace) shares one bucket, keyed on its DER's SHA-256.
 */
public class CertificateLimit {

    private final RateLimits limits;

    public CertificateLimit(RateLimits limits) {
        this.limits = limits;
    }

    /**
     * Takes one status check of the certificate; a field the RA cannot decode is left to the RA to refuse (the
     * per-address limit already applied).
     *
     * @throws RateLimited when the certificate's limit is used up
     */
    public void take(String certificateField) {
        if (!limits.enabled() || certificateField == null) {
            return;
        }
        byte[] der = Base64Field.certificateOrNull(certificateField);
        if (der == null) {
            return;
        }
        Duration wait = limits.take(RateLimits.Limit.CERTIFICATE, KeyHash.sha256Hex(der));
        if (!wait.isZero()) {
            throw new RateLimited(wait);
        }
    }
}
