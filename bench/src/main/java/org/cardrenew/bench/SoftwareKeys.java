package org.cardrenew.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.cardrenew.ca.CryptoProviders;
import org.cardrenew.protocol.SignatureAlgorithms;

/**
 * What a software card does with its keys: sign payloads and PKCS#10 requests, through the fastest provider available:
 * the simulated cards share the machine with the server, while real cards sign on the card. EC: native crypto where
 * the server's {@link CryptoProviders} finds it (ACCP, 43 µs per P-256 signature on JDK 17), else the faster of the
 * JDK's: measured P-256 signing, one thread: JDK 17 SunEC 1,849/s, BouncyCastle 3,995/s; JDK 25 SunEC 7,786/s,
 * BouncyCastle 3,742/s (docs/BENCHMARKS.md), so BouncyCastle before JDK 25 and SunEC from it. RSA: the JDK's provider
 * (ACCP converts a JDK RSA key on every signature, which costs what it saves). The crypto bound signs through the
 * same code.
 */
final class SoftwareKeys {

    /** The EC signing provider; neither ACCP nor BouncyCastle is registered, only used here. */
    static final Provider EC_SIGNER = CryptoProviders.jvm()
            .nativeProvider()
            .orElseGet(() -> Runtime.version().feature() >= 25
                    ? java.security.Security.getProvider("SunEC")
                    : new BouncyCastleProvider());

    private SoftwareKeys() {}

    /** The provider a simulated card signs with for this algorithm. */
    static String providerName(String algorithm) {
        return algorithm.endsWith("ECDSA") ? CryptoProviders.moduleName(EC_SIGNER) : defaultProvider(algorithm);
    }

    private static String defaultProvider(String algorithm) {
        try {
            return Signature.getInstance(algorithm).getProvider().getName();
        } catch (GeneralSecurityException e) {
            return "unknown";
        }
    }

    /** A signature with {@link SignatureAlgorithms#forKey}, as the card would make it. */
    static byte[] sign(KeyPair keys, byte[] payload) {
        return sign(keys.getPrivate(), SignatureAlgorithms.forKey(keys.getPublic()), payload);
    }

    static byte[] sign(PrivateKey key, String algorithm, byte[] payload) {
        try {
            Signature signer = algorithm.endsWith("ECDSA")
                    ? Signature.getInstance(algorithm, EC_SIGNER)
                    : Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(payload);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + algorithm, e);
        }
    }

    /** A DER PKCS#10 request (RFC 2986) carrying exactly this subject, signed by the key itself. */
    static byte[] certificationRequest(KeyPair keys, X500Principal subject) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .build(signer(SignatureAlgorithms.forKey(keys.getPublic())).build(keys.getPrivate()))
                    .getEncoded();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a CSR", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JcaContentSignerBuilder signer(String algorithm) {
        JcaContentSignerBuilder builder = new JcaContentSignerBuilder(algorithm);
        return algorithm.endsWith("ECDSA") ? builder.setProvider(EC_SIGNER) : builder;
    }

    static X509Certificate certificate(String base64Der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(
                            new ByteArrayInputStream(Base64.getDecoder().decode(base64Der)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the server returned an unreadable certificate", e);
        }
    }

    /**
     * The key a certificate from the server certifies, as its DER SubjectPublicKeyInfo, read through BouncyCastle's
     * structure without the JDK's parse of the whole certificate (which builds its key object and extensions): the
     * simulated card's check that an issued certificate certifies the requested key cost a fifth of the bench
     * client's CPU that way (issue 14).
     */
    static byte[] certifiedKey(String base64Der) {
        try {
            return Certificate.getInstance(Base64.getDecoder().decode(base64Der))
                    .getSubjectPublicKeyInfo()
                    .getEncoded();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the server returned an unreadable certificate", e);
        }
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
