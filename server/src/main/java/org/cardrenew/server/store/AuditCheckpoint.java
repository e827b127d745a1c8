package org.cardrenew.server.store;

import java.time.Instant;

/** One signed audit chain head: the record at {@code seq} had {@code headHash} when the audit key signed it. */
public record AuditCheckpoint(
        long seq,
        String headHash,
        Instant signedAt,
        String algorithm,
        String keyFingerprint,
        byte[] signature,
        byte[] certificate) {}
