package org.cardrenew.agent.card;

/** The user PIN is locked (CKR_PIN_LOCKED or CKF_USER_PIN_LOCKED): only the card issuer can unblock it. */
public final class PinLockedException extends CardException {

    public PinLockedException(Throwable cause) {
        super("the PIN is locked", cause);
    }
}
