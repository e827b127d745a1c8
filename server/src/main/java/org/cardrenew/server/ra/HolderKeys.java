package org.cardrenew.server.ra;

import java.security.PublicKey;
import org.cardrenew.ca.HolderKeyPolicy;
import org.cardrenew.protocol.ErrorCode;

/** The RA's side of the CA's holder key policy: refuse before anything is claimed or issued. */
final class HolderKeys {

    private HolderKeys() {}

    static String requireAllowed(PublicKey key, String field) {
        return HolderKeyPolicy.describe(key)
                .orElseThrow(() -> new RaException(
                        ErrorCode.KEY_TYPE_UNSUPPORTED,
                        field + " key " + key.getAlgorithm() + " is not RSA 2048/3072/4096 or EC P-256/P-384"));
    }
}
