package org.cardrenew.agent.card;

/** The PKCS#11 v2.40 return values (CK_RV) the card library tells apart. */
final class Ckr {

    static final long SLOT_ID_INVALID = 0x03;
    static final long ATTRIBUTE_SENSITIVE = 0x11;
    static final long ATTRIBUTE_TYPE_INVALID = 0x12;
    static final long DEVICE_REMOVED = 0x32;
    static final long PIN_INCORRECT = 0xA0;
    static final long PIN_INVALID = 0xA1;
    static final long PIN_LEN_RANGE = 0xA2;
    static final long PIN_EXPIRED = 0xA3;
    static final long PIN_LOCKED = 0xA4;
    static final long SESSION_CLOSED = 0xB0;
    static final long SESSION_HANDLE_INVALID = 0xB3;
    static final long TOKEN_NOT_PRESENT = 0xE0;
    static final long TOKEN_NOT_RECOGNIZED = 0xE1;
    static final long USER_ALREADY_LOGGED_IN = 0x100;

    private Ckr() {}
}
