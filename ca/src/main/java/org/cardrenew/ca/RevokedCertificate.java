package org.cardrenew.ca;

import java.time.Instant;
import java.util.Objects;

/** One entry of a CRL: which certificate, since when, and why (RFC 5280 §5.1.2.6, §5.3.1). */
public record RevokedCertificate(SerialNumber serial, Instant revokedAt, RevocationReason reason) {

    public RevokedCertificate {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revokedAt, "revocation time");
        reason = reason == null ? RevocationReason.UNSPECIFIED : reason;
    }
}
