package org.cardrenew.server.console;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 30-second steps, 6 digits. */
public final class Totp {

    static final long STEP_SECONDS = 30;
    private static final int DIGITS = 6;

    private Totp() {}

    /** The time step of an instant (RFC 6238 §4.2: T = (now - T0) / X with T0 = 0, X = 30 s). */
    static long step(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), STEP_SECONDS);
    }

    static String code(byte[] key, long step, int digits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            // RFC 4226 §5.3: dynamic truncation
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24)
                    | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8)
                    | (hash[offset + 3] & 0xff);
            return String.format("%0" + digits + "d", binary % (int) Math.pow(10, digits));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JRE has HmacSHA1", e);
        }
    }

    static String code(byte[] key, Instant now) {
        return code(key, step(now), DIGITS);
    }

    /**
     * The step the code matches, allowing one step of clock drift either way (RFC 6238 §5.2), or -1.
     * Constant-time comparison of each candidate.
     */
    static long matchingStep(byte[] key, String presented, Instant now) {
        if (presented == null || !presented.matches("[0-9]{6}")) {
            return -1;
        }
        long current = step(now);
        long match = -1;
        for (long s = current - 1; s <= current + 1; s++) {
            if (MessageDigest.isEqual(
                    code(key, s, DIGITS).getBytes(StandardCharsets.US_ASCII),
                    presented.getBytes(StandardCharsets.US_ASCII))) {
                match = s;
            }
        }
        return match;
    }

    /** RFC 4648 §6 base32 without padding, as authenticator apps expect in otpauth:// URIs. */
    static String base32(byte[] data) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((buffer >> (bits - 5)) & 0x1f));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(alphabet.charAt((buffer << (5 - bits)) & 0x1f));
        }
        return out.toString();
    }
}
