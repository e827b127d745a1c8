package org.cardrenew.agent.card;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A CKA_ID: the attribute PKCS#11 uses to bind a private key to its certificate. The agent writes
 * printable ids ({@code sig-<16 hex>} / {@code enc-<16 hex>}); ids written by other tools may be binary.
 */
public final class ObjectId {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    public ObjectId(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** A fresh id for a key pair generated for the given purpose: the purpose prefix and 64 random bits. */
    public static ObjectId fresh(KeyPurpose purpose) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return new ObjectId(
                (purpose.idPrefix() + HexFormat.of().formatHex(random)).getBytes(StandardCharsets.US_ASCII));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The purpose this agent encoded in the id, if it wrote it. */
    public java.util.Optional<KeyPurpose> purpose() {
        String s = toString();
        for (KeyPurpose p : KeyPurpose.values()) {
            if (s.startsWith(p.idPrefix())) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    private boolean printable() {
        if (bytes.length == 0) {
            return false;
        }
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The id as text when printable, else as hex. */
    @Override
    public String toString() {
        return printable()
                ? new String(bytes, StandardCharsets.US_ASCII)
                : HexFormat.of().formatHex(bytes);
    }
}
