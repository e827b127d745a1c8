package org.cardrenew.server.ra;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server key that makes challenges stateless: a challenge's id and nonce are HMAC-SHA256 values of its text
 * (random part, purpose, expiry), so only a node holding the key mints them and any node holding it checks them
 * without a database read. Nodes share it like the audit key ({@code <data-dir>/challenge-key}, docs/OPERATIONS.md).
 */
public final class ChallengeKey {

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    public ChallengeKey(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** HMAC-SHA256 of the label and the text, base64url without padding, cut to {@code bytes}. */
    String mac(String label, String text, int bytes) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] full = mac.doFinal((label + '|' + text).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(full, bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison of two MAC texts. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
