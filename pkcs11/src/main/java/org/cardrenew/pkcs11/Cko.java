package org.cardrenew.pkcs11;

/** The object classes (CKO_*, PKCS#11 v2.40 §4.1) CardRenew creates or looks for. */
public final class Cko {

    public static final long CERTIFICATE = 0x1;
    public static final long PUBLIC_KEY = 0x2;
    public static final long PRIVATE_KEY = 0x3;

    private Cko() {}
}
