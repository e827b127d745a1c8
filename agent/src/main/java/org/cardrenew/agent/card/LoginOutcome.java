package org.cardrenew.agent.card;

import org.cardrenew.pkcs11.Ckf;
import org.cardrenew.pkcs11.Ckr;

/**
 * Turns a failed C_Login into one of the holder-visible outcomes. Pure, so the outcomes a SoftHSM2 token
 * never produces (locked, count low, final try) are tested with fakes.
 */
public final class LoginOutcome {

    private LoginOutcome() {}

    /**
     * @param errorCode  CK_RV of C_Login
     * @param tokenFlags CK_TOKEN_INFO.flags read after the failure (0 when they could not be read)
     */
    public static CardException classify(long errorCode, long tokenFlags, Throwable cause) {
        if (errorCode == Ckr.PIN_LOCKED || (tokenFlags & Ckf.USER_PIN_LOCKED) != 0) {
            return new PinLockedException(cause);
        }
        if (errorCode == Ckr.PIN_INCORRECT || errorCode == Ckr.PIN_INVALID || errorCode == Ckr.PIN_LEN_RANGE) {
            return new WrongPinException(warning(tokenFlags), cause);
        }
        if (errorCode == Ckr.TOKEN_NOT_PRESENT
                || errorCode == Ckr.DEVICE_REMOVED
                || errorCode == Ckr.SESSION_HANDLE_INVALID
                || errorCode == Ckr.SESSION_CLOSED) {
            return new NoTokenException(NoTokenException.Reason.CARD_REMOVED, "the card was removed", cause);
        }
        if (errorCode == Ckr.PIN_EXPIRED) {
            return new CardFailureException("the PIN has expired and must be changed first", errorCode, cause);
        }
        return new CardFailureException(String.format("login failed (CKR 0x%X)", errorCode), errorCode, cause);
    }

    /** FINAL_TRY wins over COUNT_LOW: it is the stronger warning (PKCS#11 v2.40 §3.2). */
    public static PinWarning warning(long tokenFlags) {
        if ((tokenFlags & Ckf.USER_PIN_FINAL_TRY) != 0) {
            return PinWarning.FINAL_TRY;
        }
        if ((tokenFlags & Ckf.USER_PIN_COUNT_LOW) != 0) {
            return PinWarning.COUNT_LOW;
        }
        return PinWarning.NONE;
    }
}
