package org.cardrenew.ca;

import java.security.PublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The key type of the CA's own keys (root and issuing), and the signature algorithm it implies. */
public enum CaKeyType {
    RSA_2048("rsa2048", "RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), "SHA256withRSA"),
    RSA_3072("rsa3072", "RSA", new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4), "SHA256withRSA"),
    P256("p256", "EC", new ECGenParameterSpec("secp256r1"), "SHA256withECDSA"),
    // Match the hash to the curve's security level (NIST SP 800-57: P-384 pairs with SHA-384).
    P384("p384", "EC", new ECGenParameterSpec("secp384r1"), "SHA384withECDSA");

    /** rsa3072: the NIST SP 800-57 strength (128 bits) for keys used beyond 2030. */
    public static final CaKeyType DEFAULT = RSA_3072;

    private final String configName;
    private final String keyAlgorithm;
    private final AlgorithmParameterSpec generationSpec;
    private final String signatureAlgorithm;

    CaKeyType(
            String configName, String keyAlgorithm, AlgorithmParameterSpec generationSpec, String signatureAlgorithm) {
        this.configName = configName;
        this.keyAlgorithm = keyAlgorithm;
        this.generationSpec = generationSpec;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The type named in configuration: {@code rsa2048}, {@code rsa3072}, {@code p256} or {@code p384}. */
    public static CaKeyType fromConfigName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(t -> t.configName.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "CA key type '" + name + "' is not one of rsa2048, rsa3072, p256, p384"));
    }

    /** The type of an existing CA key, judged by its public key; empty for keys this CA cannot sign with. */
    static Optional<CaKeyType> of(PublicKey key) {
        return HolderKeyPolicy.describe(key)
                .flatMap(name -> Arrays.stream(values())
                        .filter(t -> t.configName.equals(name))
                        .findFirst());
    }

    public String configName() {
        return configName;
    }

    String keyAlgorithm() {
        return keyAlgorithm;
    }

    boolean isEc() {
        return "EC".equals(keyAlgorithm);
    }

    AlgorithmParameterSpec generationSpec() {
        return generationSpec;
    }

    /** The JCA signature algorithm the CA signs certificates (and later CRLs and OCSP responses) with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }
}
