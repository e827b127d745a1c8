package org.cardrenew.agent.renewal;

/**
 * Where a flow gets the PIN. The flow zeroes every array it receives once the card has it.
 * For {@link PinPurpose#CONFIRM_WRITE} a source may return null: the flow then keeps the session opened
 * at login (automation with --pin-file/--pin-env); a non-null PIN is checked again by logging out and in.
 */
@FunctionalInterface
public interface PinSource {

    char[] pin(PinPurpose purpose);

    /** The same PIN for login, no second confirmation; the array is copied, the caller zeroes its own. */
    static PinSource of(char[] pin) {
        char[] copy = pin.clone();
        return purpose -> purpose == PinPurpose.LOGIN ? copy.clone() : null;
    }
}
