package org.cardrenew.agent.card;

/** The token's PIN-counter flags after a failed login (PKCS#11 v2.40 §3.2, CK_TOKEN_INFO flags). */
public enum PinWarning {
    /** The token reports nothing (SoftHSM2 never does). */
    NONE,
    /** CKF_USER_PIN_COUNT_LOW: at least one wrong PIN since the last success. */
    COUNT_LOW,
    /** CKF_USER_PIN_FINAL_TRY: one more wrong PIN locks the card. */
    FINAL_TRY
}
