package org.cardrenew.agent.card;

import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.Arrays;
import java.util.Optional;

/** The key types the agent generates on a card; the CA accepts exactly these for holders (issue 2). */
public enum KeySpec {
    RSA_2048("rsa2048", 2048),
    RSA_3072("rsa3072", 3072),
    RSA_4096("rsa4096", 4096),
    EC_P256("p256", 256),
    EC_P384("p384", 384);

    private final String cliName;
    private final int bits;

    KeySpec(String cliName, int bits) {
        this.cliName = cliName;
        this.bits = bits;
    }

    /** The name used on the command line ({@code --key rsa2048|rsa3072|p256|p384}). */
    public String cliName() {
        return cliName;
    }

    public int bits() {
        return bits;
    }

    public boolean isRsa() {
        return this == RSA_2048 || this == RSA_3072 || this == RSA_4096;
    }

    public static Optional<KeySpec> ofCliName(String name) {
        return Arrays.stream(values())
                .filter(k -> k.cliName.equalsIgnoreCase(name))
                .findFirst();
    }

    /** The spec of an existing key, so a renewal keeps the key type of the certificate it replaces. */
    public static Optional<KeySpec> of(PublicKey key) {
        if (key instanceof RSAKey rsa) {
            int size = rsa.getModulus().bitLength();
            return Arrays.stream(values())
                    .filter(k -> k.isRsa() && k.bits == size)
                    .findFirst();
        }
        if (key instanceof ECKey ec) {
            int size = ec.getParams().getOrder().bitLength();
            return Arrays.stream(values())
                    .filter(k -> !k.isRsa() && k.bits == size)
                    .findFirst();
        }
        return Optional.empty();
    }
}
