package org.cardrenew.agent.card;

/**
 * The card has no room for another object (CKR_DEVICE_MEMORY, or CKR_DEVICE_ERROR while the token reports
 * almost no free memory: see {@link CardSpace}). Raised before anything on the card was lost: the operation
 * that needed the room did not happen, and the holder frees room by removing an old decryption key.
 */
public final class CardFullException extends CardException {

    private final long errorCode;

    public CardFullException(String message, long errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** The PKCS#11 CKR_ code the card answered. */
    public long errorCode() {
        return errorCode;
    }
}
