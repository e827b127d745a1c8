package org.cardrenew.agent.card;

/** Any other card error: a PKCS#11 failure, or card contents that do not fit the operation. */
public final class CardFailureException extends CardException {

    private final long errorCode;

    public CardFailureException(String message, long errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public CardFailureException(String message) {
        this(message, -1, null);
    }

    /** The PKCS#11 CKR_ code, or -1 when the failure is not a PKCS#11 return value. */
    public long errorCode() {
        return errorCode;
    }
}
