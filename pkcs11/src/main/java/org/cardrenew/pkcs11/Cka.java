package org.cardrenew.pkcs11;

/** The attribute types (CKA_*) CardRenew reads or sets, PKCS#11 v2.40 §4 and the v2.40 header pkcs11t.h. */
public final class Cka {

    public static final long CLASS = 0x0;
    public static final long TOKEN = 0x1;
    public static final long PRIVATE = 0x2;
    public static final long LABEL = 0x3;
    public static final long VALUE = 0x11;
    public static final long CERTIFICATE_TYPE = 0x80;
    public static final long ISSUER = 0x81;
    public static final long SERIAL_NUMBER = 0x82;
    public static final long KEY_TYPE = 0x100;
    public static final long SUBJECT = 0x101;
    public static final long ID = 0x102;
    public static final long SENSITIVE = 0x103;
    public static final long ENCRYPT = 0x104;
    public static final long DECRYPT = 0x105;
    public static final long WRAP = 0x106;
    public static final long UNWRAP = 0x107;
    public static final long SIGN = 0x108;
    public static final long SIGN_RECOVER = 0x109;
    public static final long VERIFY = 0x10A;
    public static final long VERIFY_RECOVER = 0x10B;
    public static final long DERIVE = 0x10C;
    public static final long MODULUS = 0x120;
    public static final long MODULUS_BITS = 0x121;
    public static final long PUBLIC_EXPONENT = 0x122;
    public static final long EXTRACTABLE = 0x162;
    public static final long EC_PARAMS = 0x180;
    public static final long EC_POINT = 0x181;

    private Cka() {}
}
