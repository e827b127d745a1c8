package org.cardrenew.ca;

/** The CA refused or could not issue. */
public class IssuanceException extends Exception {

    /** Why; the RA maps each reason to its stable API code. */
    public enum Reason {
        KEY_TYPE_UNSUPPORTED,
        VALIDITY_INVALID,
        CA_UNAVAILABLE
    }

    private final Reason reason;

    public IssuanceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public IssuanceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
