package org.cardrenew.ca;

/** The two holder certificate profiles of a card pair. */
public enum CertificateProfile {
    /** keyUsage digitalSignature + nonRepudiation, critical. */
    SIGNING,
    /** keyUsage keyEncipherment + dataEncipherment, critical. */
    ENCRYPTION
}
