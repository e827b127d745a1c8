package org.cardrenew.ca;

/** The two holder certificate profiles of a card pair. */
public enum CertificateProfile {
    /** keyUsage digitalSignature + nonRepudiation, critical. */
    SIGNING,
    /**
     * keyUsage keyEncipherment + dataEncipherment, critical, for RSA keys; keyAgreement for EC keys
     * (RFC 5480 §3: keyEncipherment and dataEncipherment MUST NOT be asserted for id-ecPublicKey).
     */
    ENCRYPTION
}
