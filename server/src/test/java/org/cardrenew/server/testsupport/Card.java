package org.cardrenew.server.testsupport;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.cardrenew.protocol.SignatureAlgorithms;

/** A software stand-in for a card: two key pairs and, once issued, their certificates. */
public final class Card {

    public final KeyPair signingKeys;
    public final KeyPair encryptionKeys;
    public X509Certificate signing;
    public X509Certificate encryption;

    public Card(KeyPair signingKeys, KeyPair encryptionKeys) {
        this.signingKeys = signingKeys;
        this.encryptionKeys = encryptionKeys;
    }

    public static Card rsa() {
        return new Card(Keys.rsa(2048), Keys.rsa(2048));
    }

    public static Card p256() {
        return new Card(Keys.p256(), Keys.p256());
    }

    public void install(String signingBase64, String encryptionBase64) {
        signing = certificate(signingBase64);
        encryption = certificate(encryptionBase64);
    }

    public String signingCertificateBase64() {
        try {
            return Base64.getEncoder().encodeToString(signing.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String serial() {
        return signing.getSerialNumber().toString(16);
    }

    /** Signs with the signing key, as the card does for challenges and confirmations. */
    public String sign(byte[] payload) {
        return sign(signingKeys.getPrivate(), SignatureAlgorithms.forKey(signingKeys.getPublic()), payload);
    }

    public String algorithm() {
        return SignatureAlgorithms.forKey(signingKeys.getPublic());
    }

    public static String sign(PrivateKey key, String algorithm, byte[] payload) {
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(payload);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static X509Certificate certificate(String base64) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(
                            new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
