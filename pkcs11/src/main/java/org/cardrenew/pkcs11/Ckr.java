package org.cardrenew.pkcs11;

/** The PKCS#11 v2.40 return values (CK_RV, §5.1) that CardRenew tells apart. */
public final class Ckr {

    public static final long SLOT_ID_INVALID = 0x03;
    public static final long ATTRIBUTE_SENSITIVE = 0x11;
    public static final long ATTRIBUTE_TYPE_INVALID = 0x12;
    public static final long DEVICE_ERROR = 0x30;
    public static final long DEVICE_MEMORY = 0x31;
    public static final long DEVICE_REMOVED = 0x32;
    public static final long PIN_INCORRECT = 0xA0;
    public static final long PIN_INVALID = 0xA1;
    public static final long PIN_LEN_RANGE = 0xA2;
    public static final long PIN_EXPIRED = 0xA3;
    public static final long PIN_LOCKED = 0xA4;
    public static final long SESSION_CLOSED = 0xB0;
    public static final long SESSION_HANDLE_INVALID = 0xB3;
    public static final long TOKEN_NOT_PRESENT = 0xE0;
    public static final long TOKEN_NOT_RECOGNIZED = 0xE1;
    public static final long USER_ALREADY_LOGGED_IN = 0x100;

    private Ckr() {}
}
