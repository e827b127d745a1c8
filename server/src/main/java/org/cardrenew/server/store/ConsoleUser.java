package org.cardrenew.server.store;

import java.time.Instant;

/** A console user: name, role, password hash, TOTP key and the last TOTP step accepted. */
public record ConsoleUser(String name, String role, String passwordHash, byte[] totpKey, long lastStep,
        Instant createdAt, String createdBy) {}
