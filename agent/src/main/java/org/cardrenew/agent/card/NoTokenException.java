package org.cardrenew.agent.card;

/** The card cannot be reached: no PKCS#11 library, no token with that label, or the card was removed. */
public final class NoTokenException extends CardException {

    /** Why no token could be used. */
    public enum Reason {
        LIBRARY_MISSING,
        NO_SUCH_TOKEN,
        NO_CARD,
        CARD_REMOVED
    }

    private final Reason reason;

    public NoTokenException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
