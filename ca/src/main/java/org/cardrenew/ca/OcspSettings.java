package org.cardrenew.ca;

import java.time.Duration;

/**
 * Lifetimes of the delegated OCSP responder.
 *
 * @param signerLifetime   validity of the OCSP signing certificate. It carries id-pkix-ocsp-nocheck, so relying
 *                         parties never check its revocation; RFC 6960 §4.2.2.2.1 asks for a short lifetime. It is
 *                         replaced when less than half of it is left.
 * @param responseValidity nextUpdate − thisUpdate of each response: how long a client may cache it
 */
public record OcspSettings(Duration signerLifetime, Duration responseValidity) {

    /** 30 days for the signer, 1 hour for responses (a revocation is visible to caching clients within an hour). */
    public static final OcspSettings DEFAULT = new OcspSettings(Duration.ofDays(30), Duration.ofHours(1));

    public OcspSettings {
        if (signerLifetime == null
                || responseValidity == null
                || signerLifetime.isNegative()
                || signerLifetime.isZero()
                || responseValidity.isNegative()
                || responseValidity.isZero()) {
            throw new IllegalArgumentException("OCSP lifetimes must be positive");
        }
    }
}
