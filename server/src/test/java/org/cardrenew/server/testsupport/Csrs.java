package org.cardrenew.server.testsupport;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.cardrenew.protocol.SignatureAlgorithms;

/** PKCS#10 requests as a card would make them (and as a broken or hostile one would). */
public final class Csrs {

    private Csrs() {}

    /** Base64 DER CSR for the key pair, self-signed. */
    public static String of(KeyPair keys, X500Principal subject) {
        return Base64.getEncoder().encodeToString(der(keys.getPublic(), keys.getPrivate(), subject));
    }

    /** A CSR carrying {@code publicKey} but signed by another private key: proof of possession fails. */
    public static String signedByOther(PublicKey publicKey, PrivateKey signer, X500Principal subject) {
        return Base64.getEncoder().encodeToString(der(publicKey, signer, subject));
    }

    public static byte[] der(PublicKey publicKey, PrivateKey signer, X500Principal subject) {
        return der(publicKey, signer, subject, SignatureAlgorithms.forKey(publicKey));
    }

    /** Base64 DER CSR self-signed with the given JCA signature algorithm. */
    public static String withAlgorithm(KeyPair keys, X500Principal subject, String algorithm) {
        return Base64.getEncoder().encodeToString(der(keys.getPublic(), keys.getPrivate(), subject, algorithm));
    }

    public static byte[] der(PublicKey publicKey, PrivateKey signer, X500Principal subject, String algorithm) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(subject, publicKey)
                    .build(new JcaContentSignerBuilder(algorithm).build(signer))
                    .getEncoded();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
