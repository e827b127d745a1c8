package org.cardrenew.protocol;

import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.util.Set;

/** Signature algorithms the RA accepts from cards, and the one a card uses for a given key. */
public final class SignatureAlgorithms {

    /** JCA names accepted for challenge and confirmation signatures. */
    public static final Set<String> ALLOWED =
            Set.of("SHA256withRSA", "SHA384withRSA", "SHA512withRSA", "SHA256withECDSA", "SHA384withECDSA");

    private SignatureAlgorithms() {}

    /** SHA-256 for RSA and P-256, SHA-384 for P-384 (hash strength matched to the curve). */
    public static String forKey(PublicKey key) {
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getOrder().bitLength();
            return bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        if ("RSA".equals(key.getAlgorithm())) {
            return "SHA256withRSA";
        }
        throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
    }
}
