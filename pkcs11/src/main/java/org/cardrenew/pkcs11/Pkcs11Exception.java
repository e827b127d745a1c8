package org.cardrenew.pkcs11;

/** A PKCS#11 call the token refused, with its return value (CK_RV, see {@link Ckr}). */
public final class Pkcs11Exception extends Exception {

    private static final long serialVersionUID = 1L;

    private final long errorCode;

    public Pkcs11Exception(String message, long errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    static Pkcs11Exception of(sun.security.pkcs11.wrapper.PKCS11Exception e) {
        return new Pkcs11Exception(e.getMessage(), e.getErrorCode(), e);
    }

    public long errorCode() {
        return errorCode;
    }

    /**
     * The token's return value somewhere in a chain of causes, or -1. SunPKCS11 wraps it (a refused login is
     * IOException → FailedLoginException → the wrapper's exception), and so may callers of this package.
     */
    public static long errorCodeIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Pkcs11Exception p11) {
                return p11.errorCode;
            }
            if (t instanceof sun.security.pkcs11.wrapper.PKCS11Exception p11) {
                return p11.getErrorCode();
            }
        }
        return -1;
    }
}
