package org.cardrenew.pkcs11;

/** The CK_TOKEN_INFO flags (CKF_*, PKCS#11 v2.40 §3.2) a renewal looks at. */
public final class Ckf {

    public static final long TOKEN_INITIALIZED = 0x400;
    public static final long USER_PIN_COUNT_LOW = 0x10000;
    public static final long USER_PIN_FINAL_TRY = 0x20000;
    public static final long USER_PIN_LOCKED = 0x40000;

    private Ckf() {}
}
