package org.cardrenew.agent.card;

import org.cardrenew.pkcs11.Ckf;

/**
 * The token's user-PIN flags as the holder needs them before typing a PIN (PKCS#11 v2.40 §3.2,
 * CK_TOKEN_INFO flags). Tokens that keep no counter (SoftHSM2) report all false.
 */
public record PinStatus(boolean countLow, boolean finalTry, boolean locked) {

    public static PinStatus of(long tokenFlags) {
        return new PinStatus(
                (tokenFlags & Ckf.USER_PIN_COUNT_LOW) != 0,
                (tokenFlags & Ckf.USER_PIN_FINAL_TRY) != 0,
                (tokenFlags & Ckf.USER_PIN_LOCKED) != 0);
    }
}
