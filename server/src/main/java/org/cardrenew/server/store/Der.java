package org.cardrenew.server.store;

import java.util.Arrays;

/**
 * The DER encoding of one object (a certificate, a CRL, a SubjectPublicKeyInfo, a subject name), as a value: immutable,
 * and equal to another exactly when the bytes are, so records holding one compare by content.
 */
public final class Der {

    private final byte[] bytes;

    private Der(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code encoded}: later changes to the array do not change this value. */
    public static Der of(byte[] encoded) {
        return new Der(encoded.clone());
    }

    /** A copy of the encoding, for a parser or a column. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Der other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The length and the SHA-256 of the bytes: enough to tell values apart in a log, without the whole blob. */
    @Override
    public String toString() {
        return "Der[" + bytes.length + " bytes, sha256:"
                + KeyHash.sha256Hex(bytes).substring(0, 16) + "]";
    }
}
