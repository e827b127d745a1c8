package org.cardrenew.pkcs11;

/** The key types (CKK_*, PKCS#11 v2.40 §2) of holder keys. */
public final class Ckk {

    public static final long RSA = 0x0;
    public static final long EC = 0x3;

    private Ckk() {}
}
