package org.cardrenew.ca;

import java.security.PublicKey;
import java.util.Optional;

/**
 * The holder keys this CA certifies: RSA 2048/3072/4096 and EC P-256/P-384. Anything else
 * (RSA-1024, other curves, Ed25519, DSA) is refused.
 */
public final class HolderKeyPolicy {

    private HolderKeyPolicy() {}

    /** A short name such as {@code rsa2048} or {@code p256}, or empty when the key is not allowed. */
    public static Optional<String> describe(PublicKey key) {
        throw new UnsupportedOperationException("implemented by the ca module");
    }

    /** Throws {@link IssuanceException.Reason#KEY_TYPE_UNSUPPORTED} unless the key is allowed. */
    public static String check(PublicKey key) throws IssuanceException {
        return describe(key).orElseThrow(() -> new IssuanceException(
                IssuanceException.Reason.KEY_TYPE_UNSUPPORTED,
                "holder key " + key.getAlgorithm() + " is not RSA 2048/3072/4096 or EC P-256/P-384"));
    }
}
