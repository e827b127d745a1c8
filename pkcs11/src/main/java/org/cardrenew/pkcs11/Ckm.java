package org.cardrenew.pkcs11;

/** The mechanisms (CKM_*, PKCS#11 v2.40 Current Mechanisms §2.1 and §2.3) the card side uses. */
public final class Ckm {

    public static final long RSA_PKCS_KEY_PAIR_GEN = 0x0;
    public static final long SHA256_RSA_PKCS = 0x40;
    public static final long SHA384_RSA_PKCS = 0x41;
    public static final long SHA512_RSA_PKCS = 0x42;
    public static final long EC_KEY_PAIR_GEN = 0x1040;
    public static final long ECDSA = 0x1041;

    private Ckm() {}
}
