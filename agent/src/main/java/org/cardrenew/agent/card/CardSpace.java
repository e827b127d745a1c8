package org.cardrenew.agent.card;

import org.cardrenew.pkcs11.Ckr;

/**
 * Tells a full card from other failures of an object-creating call. PKCS#11 v2.40 §5.1 has CKR_DEVICE_MEMORY
 * for "not enough memory"; some vendor libraries answer a full card with the catch-all CKR_DEVICE_ERROR
 * instead. That one counts as full only when the token's own CK_TOKEN_INFO says the memory is (almost) used
 * up; a token that does not report free memory (CK_UNAVAILABLE_INFORMATION, as SoftHSM2) gets the plain
 * card error. Pure, so the answers a SoftHSM2 token never gives are tested with fakes.
 */
public final class CardSpace {

    /** Less than this many free bytes, public or private, is a full card: no certificate or key fits in it. */
    static final long ALMOST_FULL = 2048;

    private CardSpace() {}

    /**
     * @param errorCode     CK_RV of the failed call
     * @param freePublic    CK_TOKEN_INFO.ulFreePublicMemory read after the failure (-1 when unavailable)
     * @param freePrivate   CK_TOKEN_INFO.ulFreePrivateMemory read after the failure (-1 when unavailable)
     */
    public static boolean isFull(long errorCode, long freePublic, long freePrivate) {
        if (errorCode == Ckr.DEVICE_MEMORY) {
            return true;
        }
        return errorCode == Ckr.DEVICE_ERROR && (almostFull(freePublic) || almostFull(freePrivate));
    }

    private static boolean almostFull(long free) {
        // CK_UNAVAILABLE_INFORMATION (~0) arrives as -1 (64-bit CK_ULONG) or 2^32-1 (32-bit): neither counts.
        return free >= 0 && free < ALMOST_FULL;
    }
}
