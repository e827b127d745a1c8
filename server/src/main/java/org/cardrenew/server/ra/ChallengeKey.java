package org.cardrenew.server.ra;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
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
    /**
     * Initialised with the key once, cloned for each MAC: the provider lookup and the key's set-up on every call were
     * 1.7 % of a status check's request-thread CPU (issue 14). Never used itself, only cloned.
     */
    private final Mac prototype;

    public ChallengeKey(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.prototype = initialised();
    }

    /** HMAC-SHA256 of the label and the text, base64url without padding, cut to {@code bytes}. */
    String mac(String label, String text, int bytes) {
        byte[] full = fresh().doFinal((label + '|' + text).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, bytes));
    }

    private Mac fresh() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return initialised(); // a provider whose MACs cannot be cloned: set one up each time, as before
        }
    }

    private Mac initialised() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison of two MAC texts. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
