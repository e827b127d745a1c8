package org.cardrenew.agent.card;

import java.security.PublicKey;
import java.security.cert.X509Certificate;

/**
 * A holder certificate on the card and whether its private key (same CKA_ID) is there too.
 *
 * @param id            CKA_ID shared by the certificate and its private key
 * @param certificate   the certificate
 * @param purpose       signing or encryption, from keyUsage
 * @param hasPrivateKey false for a certificate whose key was already deleted (an interrupted clean-up)
 */
public record CardEntry(ObjectId id, X509Certificate certificate, KeyPurpose purpose, boolean hasPrivateKey)
        implements CardKey {

    @Override
    public PublicKey publicKey() {
        return certificate.getPublicKey();
    }
}
