package org.cardrenew.protocol;

/** The persisted states of a renewal; see docs/RENEWAL-CYCLE.md. */
public enum RenewalState {
    /** The renewal holds its certificate pair's slot and the new public keys; nothing issued yet. */
    REQUESTED,
    /** Both new certificates are issued and stored; waiting for the card to confirm they are written. */
    ISSUED,
    /** The card proved the new certificates are installed; the old pair is superseded. */
    COMPLETED,
    /**
     * Issued but never confirmed within the server's confirm-within period: the new certificates are revoked
     * (cessationOfOperation); the card may start a fresh renewal from its old pair while that is still valid.
     */
    EXPIRED_UNCONFIRMED
}
