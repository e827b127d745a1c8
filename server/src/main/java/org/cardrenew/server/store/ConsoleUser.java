package org.cardrenew.server.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/** A console user: name, role, password hash, TOTP key and the last TOTP step accepted. */
public record ConsoleUser(
        String name,
        String role,
        String passwordHash,
        byte[] totpKey,
        long lastStep,
        Instant createdAt,
        String createdBy) {

    /** Equal by content, the sealed TOTP key included (a record's own equals would compare it by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ConsoleUser u
                && lastStep == u.lastStep
                && Objects.equals(name, u.name)
                && Objects.equals(role, u.role)
                && Objects.equals(passwordHash, u.passwordHash)
                && Arrays.equals(totpKey, u.totpKey)
                && Objects.equals(createdAt, u.createdAt)
                && Objects.equals(createdBy, u.createdBy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, role, passwordHash, Arrays.hashCode(totpKey), lastStep, createdAt, createdBy);
    }

    /** Without the password hash and the TOTP key: no secret in a log. */
    @Override
    public String toString() {
        return "ConsoleUser[name=" + name + ", role=" + role + ", createdAt=" + createdAt + ", createdBy=" + createdBy
                + "]";
    }
}
