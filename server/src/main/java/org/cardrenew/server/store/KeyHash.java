package org.cardrenew.server.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;

/** SHA-256 of a public key's DER SubjectPublicKeyInfo, lower-case hex: the identity of a key. */
public record KeyHash(String hex) {

    public static KeyHash of(PublicKey key) {
        return ofSpki(key.getEncoded());
    }

    public static KeyHash ofSpki(byte[] subjectPublicKeyInfo) {
        return new KeyHash(sha256Hex(subjectPublicKeyInfo));
    }

    /** SHA-256 as lower-case hex; also used for renewal tokens. */
    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return hex;
    }
}
