package org.cardrenew.agent.card;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** Java public keys from the attributes of a PKCS#11 public key object. */
final class PublicKeys {

    private PublicKeys() {}

    static PublicKey rsa(BigInteger modulus, BigInteger exponent) throws CardException {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        } catch (GeneralSecurityException e) {
            throw new CardFailureException("unreadable RSA public key: " + e.getMessage(), -1, e);
        }
    }

    /**
     * @param params CKA_EC_PARAMS: the DER OID of a named curve
     * @param point  CKA_EC_POINT: DER OCTET STRING of the point (PKCS#11 v2.40 §2.3.3), raw from some tokens
     */
    static PublicKey ec(byte[] params, byte[] point) throws CardException {
        if (params == null || point == null) {
            throw new CardFailureException("EC public key without parameters or point");
        }
        try {
            ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(params);
            byte[] q = isRawUncompressed(point)
                    ? point
                    : ASN1OctetString.getInstance(point).getOctets();
            SubjectPublicKeyInfo spki =
                    new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), q);
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new CardFailureException("unreadable EC public key: " + e.getMessage(), -1, e);
        }
    }

    /** 0x04 || X || Y for P-256 (65 bytes) or P-384 (97 bytes). */
    private static boolean isRawUncompressed(byte[] point) {
        return point[0] == 0x04 && (point.length == 65 || point.length == 97);
    }
}
