package org.cardrenew.agent.card;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.cardrenew.protocol.SignatureAlgorithms;

/** PKCS#10 requests (RFC 2986) whose signature, the proof of possession, is made on the card. */
final class CertificationRequests {

    private CertificationRequests() {}

    static byte[] build(Card card, CardKey key, X500Principal subject) throws CardException {
        if (key.publicKey() == null) {
            throw new CardFailureException("the public key of " + key.id() + " is not on the card");
        }
        CardContentSigner signer = new CardContentSigner(card, key);
        // The subject goes in as its DER encoding: byte-identical to the current certificate's (RFC 7030 §4.2.2).
        PKCS10CertificationRequest csr =
                new JcaPKCS10CertificationRequestBuilder(subject, key.publicKey()).build(signer);
        if (signer.failure != null) {
            throw signer.failure;
        }
        try {
            return csr.getEncoded();
        } catch (IOException e) {
            throw new CardFailureException("cannot encode the certificate request", -1, e);
        }
    }

    /** A BouncyCastle ContentSigner that buffers the to-be-signed bytes and signs them on the card. */
    private static final class CardContentSigner implements ContentSigner {

        private final Card card;
        private final CardKey key;
        private final AlgorithmIdentifier algorithm;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private CardException failure;

        CardContentSigner(Card card, CardKey key) {
            this.card = card;
            this.key = key;
            this.algorithm =
                    new DefaultSignatureAlgorithmIdentifierFinder().find(SignatureAlgorithms.forKey(key.publicKey()));
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public OutputStream getOutputStream() {
            return buffer;
        }

        @Override
        public byte[] getSignature() {
            try {
                return card.sign(key, buffer.toByteArray()).value();
            } catch (CardException e) {
                failure = e;
                return new byte[0];
            }
        }
    }
}
