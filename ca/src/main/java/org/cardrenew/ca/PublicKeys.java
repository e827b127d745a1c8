package org.cardrenew.ca;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A SubjectPublicKeyInfo (a CSR's, a CRMF template's, a stored one) as a JCA public key.
 *
 * <p>RSA and EC keys go to the key factory of their JDK name at once. BouncyCastle's {@link JcaPEMKeyConverter} asks
 * for an "ECDSA" key factory first, which no provider registered here offers, and then for "EC": every EC key cost a
 * NoSuchAlgorithmException with its stack trace filled in, 2.9 % of a renewal's request-thread CPU under Tomcat,
 * Spring and the RA (issue 14, docs/BENCHMARKS.md). Other algorithms still go through the converter.
 */
public final class PublicKeys {

    private static final Map<ASN1ObjectIdentifier, String> FACTORIES = Map.of(
            X9ObjectIdentifiers.id_ecPublicKey, "EC",
            PKCSObjectIdentifiers.rsaEncryption, "RSA");

    private PublicKeys() {}

    /**
     * @throws IOException the key does not parse, or no provider knows its algorithm
     */
    public static PublicKey of(SubjectPublicKeyInfo info) throws IOException {
        String factory = FACTORIES.get(info.getAlgorithm().getAlgorithm());
        if (factory == null) {
            return new JcaPEMKeyConverter().getPublicKey(info);
        }
        try {
            return KeyFactory.getInstance(factory).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException("the " + factory + " public key does not parse: " + e.getMessage(), e);
        }
    }
}
