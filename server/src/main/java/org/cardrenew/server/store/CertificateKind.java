package org.cardrenew.server.store;

/** Which half of a card pair a certificate is. */
public enum CertificateKind {
    SIGNING,
    ENCRYPTION
}
