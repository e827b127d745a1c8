package org.cardrenew.agent.renewal;

/** Why a flow asks for the PIN. */
public enum PinPurpose {
    /** Before anything else: unlocks the card for the whole flow. */
    LOGIN,
    /** The holder's confirmation before the new certificates are written (design step 6). */
    CONFIRM_WRITE
}
