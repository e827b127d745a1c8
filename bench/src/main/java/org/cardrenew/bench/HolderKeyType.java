package org.cardrenew.bench;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;

/** The software key type of simulated holders (cards in the field are RSA-2048 or P-256). */
public enum HolderKeyType {
    RSA_2048("rsa2048"),
    P256("p256");

    private final String cliName;

    HolderKeyType(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static HolderKeyType of(String name) {
        return Arrays.stream(values())
                .filter(t -> t.cliName.equals(name.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("key type must be rsa2048 or p256, not " + name));
    }

    /** A fresh key pair from the JDK's default provider (SunRsaSign or SunEC), as a software card would hold. */
    public KeyPair generate() {
        try {
            if (this == RSA_2048) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + cliName + " key", e);
        }
    }
}
