package org.cardrenew.server.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.cardrenew.server.store.KeyHash;

/** The admin API bearer token. */
public final class AdminToken {

    private final byte[] digest;

    public AdminToken(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("admin token is empty");
        }
        this.digest = digest(value);
    }

    /** Constant-time comparison: digests have equal length whatever the presented token's length. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, digest(presented));
    }

    private static byte[] digest(String value) {
        return KeyHash.sha256Hex(value.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "AdminToken[****]";
    }
}
