package org.cardrenew.agent.card;

/** The token refused the PIN (CKR_PIN_INCORRECT). The card is not retried: the holder decides. */
public final class WrongPinException extends CardException {

    private final PinWarning warning;

    public WrongPinException(PinWarning warning, Throwable cause) {
        super("wrong PIN" + (warning == PinWarning.NONE ? "" : " (" + warning + ")"), cause);
        this.warning = warning;
    }

    /** What the token reported about the remaining tries after the failure, where it reports it. */
    public PinWarning warning() {
        return warning;
    }
}
