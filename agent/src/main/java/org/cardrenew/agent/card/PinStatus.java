package org.cardrenew.agent.card;

import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_USER_PIN_COUNT_LOW;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_USER_PIN_FINAL_TRY;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_USER_PIN_LOCKED;

/**
 * The token's user-PIN flags as the holder needs them before typing a PIN (PKCS#11 v2.40 §3.2,
 * CK_TOKEN_INFO flags). Tokens that keep no counter (SoftHSM2) report all false.
 */
public record PinStatus(boolean countLow, boolean finalTry, boolean locked) {

    public static PinStatus of(long tokenFlags) {
        return new PinStatus((tokenFlags & CKF_USER_PIN_COUNT_LOW) != 0, (tokenFlags & CKF_USER_PIN_FINAL_TRY) != 0,
                (tokenFlags & CKF_USER_PIN_LOCKED) != 0);
    }
}
