package org.cardrenew.server.console;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals console users' TOTP keys at rest with AES-256-GCM (NIST SP 800-38D: 96-bit random IV, 128-bit tag), bound to
 * the user name as associated data so a sealed key cannot be moved to another row. Stored form: {@code CRS1} ‖ IV ‖
 * ciphertext ‖ tag. A raw key (always {@value #RAW_LENGTH} bytes, from before sealing) is recognised by its length.
 */
public final class TotpKeySeal {

    static final int RAW_LENGTH = 20;
    private static final byte[] MAGIC = "CRS1".getBytes(StandardCharsets.US_ASCII);
    private static final int IV = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    public TotpKeySeal(byte[] aes256) {
        if (aes256.length != 32) {
            throw new IllegalArgumentException(
                    "the TOTP encryption key must be 32 bytes (AES-256), got " + aes256.length);
        }
        this.key = new SecretKeySpec(aes256, "AES");
    }

    byte[] seal(String name, byte[] totpKey) {
        try {
            byte[] iv = new byte[IV];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(totpKey);
            return ByteBuffer.allocate(MAGIC.length + IV + sealed.length)
                    .put(MAGIC)
                    .put(iv)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JRE has AES/GCM", e);
        }
    }

    /** The TOTP key of a stored value: unsealed, or as it is when stored before sealing. */
    byte[] open(String name, byte[] stored) {
        if (!sealed(stored)) {
            return stored;
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, MAGIC.length, IV));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(stored, MAGIC.length + IV, stored.length - MAGIC.length - IV);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "the TOTP key of console user " + name + " cannot be unsealed: another "
                            + "cardrenew.console.totp-encryption-key than the one it was sealed with?",
                    e);
        }
    }

    static boolean sealed(byte[] stored) {
        return stored.length > RAW_LENGTH && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }
}
