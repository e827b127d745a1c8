package org.cardrenew.agent.card;

import java.security.cert.X509Certificate;
import java.util.Optional;

/** What a holder key pair is for, told apart on the card by its certificate's keyUsage (RFC 5280 §4.2.1.3). */
public enum KeyPurpose {
    SIGNING("sig"),
    ENCRYPTION("enc");

    private final String idPrefix;

    KeyPurpose(String idPrefix) {
        this.idPrefix = idPrefix;
    }

    /** The first part of the CKA_ID of keys and certificates this agent writes, e.g. {@code sig-}. */
    public String idPrefix() {
        return idPrefix + "-";
    }

    /**
     * nonRepudiation or digitalSignature alone mark the signing certificate; keyEncipherment,
     * dataEncipherment or keyAgreement the encryption certificate. Empty for CA certificates and others.
     */
    public static Optional<KeyPurpose> of(X509Certificate certificate) {
        boolean[] ku = certificate.getKeyUsage();
        if (ku == null || certificate.getBasicConstraints() >= 0) {
            return Optional.empty();
        }
        boolean digitalSignature = ku.length > 0 && ku[0];
        boolean nonRepudiation = ku.length > 1 && ku[1];
        boolean keyEncipherment = ku.length > 2 && ku[2];
        boolean dataEncipherment = ku.length > 3 && ku[3];
        boolean keyAgreement = ku.length > 4 && ku[4];
        if (nonRepudiation) {
            return Optional.of(SIGNING);
        }
        if (keyEncipherment || dataEncipherment || keyAgreement) {
            return Optional.of(ENCRYPTION);
        }
        return digitalSignature ? Optional.of(SIGNING) : Optional.empty();
    }
}
