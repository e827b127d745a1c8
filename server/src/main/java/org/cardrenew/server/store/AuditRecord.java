package org.cardrenew.server.store;

import java.time.Instant;

/** One stored audit event with its place in the hash chain. */
public record AuditRecord(
        long seq,
        Instant occurredAt,
        String actor,
        String action,
        String outcome,
        String code,
        String certificateSerial,
        String renewalId,
        String detail,
        String clientAddress,
        String prevHash,
        String hash) {}
