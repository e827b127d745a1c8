package org.cardrenew.ca;

import java.security.PublicKey;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The holder keys this CA certifies: RSA 2048/3072/4096 and EC P-256/P-384. Anything else
 * (RSA-1024, other curves, Ed25519, DSA) is refused.
 */
public final class HolderKeyPolicy {

    private HolderKeyPolicy() {}

    /** A short name such as {@code rsa2048} or {@code p256}, or empty when the key is not allowed. */
    public static Optional<String> describe(PublicKey key) {
        byte[] encoded = key == null ? null : key.getEncoded();
        if (encoded == null) {
            return Optional.empty();
        }
        try {
            // Judge the SubjectPublicKeyInfo the certificate will carry, not the provider's Java class.
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(encoded);
            AlgorithmIdentifier algorithm = info.getAlgorithm();
            if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm.getAlgorithm())) {
                int bits = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(info.parsePublicKey())
                        .getModulus()
                        .bitLength();
                // Exact sizes: an RSA-2047 or RSA-2050 modulus is not "RSA 2048".
                return bits == 2048 || bits == 3072 || bits == 4096 ? Optional.of("rsa" + bits) : Optional.empty();
            }
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
                // RFC 5480 §2.1.1: PKIX certificates name the curve (namedCurve); implicitCurve and specifiedCurve
                // MUST NOT be used. The OID, not the field size, tells P-256 from secp256k1.
                if (algorithm.getParameters() instanceof ASN1ObjectIdentifier curve) {
                    if (SECObjectIdentifiers.secp256r1.equals(curve)) {
                        return Optional.of("p256");
                    }
                    if (SECObjectIdentifiers.secp384r1.equals(curve)) {
                        return Optional.of("p384");
                    }
                }
            }
            return Optional.empty();
        } catch (RuntimeException | java.io.IOException malformed) {
            return Optional.empty();
        }
    }

    /** Throws {@link IssuanceException.Reason#KEY_TYPE_UNSUPPORTED} unless the key is allowed. */
    public static String check(PublicKey key) throws IssuanceException {
        return describe(key)
                .orElseThrow(() -> new IssuanceException(
                        IssuanceException.Reason.KEY_TYPE_UNSUPPORTED,
                        "holder key " + (key == null ? "(none)" : key.getAlgorithm())
                                + " is not RSA 2048/3072/4096 or EC P-256/P-384"));
    }
}
