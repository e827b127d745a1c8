package org.cardrenew.pkcs11;

/**
 * What CK_TOKEN_INFO says about the token in one slot (PKCS#11 v2.40 §3.2).
 *
 * @param label the token label, blanks trimmed
 * @param serialNumber the token's serial number (16 characters in CK_TOKEN_INFO), blanks trimmed
 * @param flags the CKF_* token flags ({@link Ckf})
 */
public record TokenInfo(
        long slot, String label, String serialNumber, long flags, long freePublicMemory, long freePrivateMemory) {

    /** An uninitialised slot (such as SoftHSM2's spare one) is no token: it has no label to match. */
    public boolean initialized() {
        return has(Ckf.TOKEN_INITIALIZED);
    }

    public boolean has(long flag) {
        return (flags & flag) != 0;
    }

    /** The token an operator or holder names: initialised, with this label (blanks around either ignored). */
    public boolean isLabelled(String wanted) {
        return initialized() && label.equals(wanted.trim());
    }
}
