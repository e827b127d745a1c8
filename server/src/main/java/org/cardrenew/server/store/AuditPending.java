package org.cardrenew.server.store;

import java.time.Instant;

/**
 * An audit record written by a decision and not yet linked into the hash chain ({@code audit_pending}, docs/AUDIT.md):
 * the content of an {@link AuditRecord} without its place in the chain.
 *
 * @param id the pending row's identity (0 before it is inserted); the chained record keeps it as {@code pending_id}
 */
public record AuditPending(
        long id,
        Instant occurredAt,
        String actor,
        String action,
        String outcome,
        String code,
        String certificateSerial,
        String renewalId,
        String detail,
        String clientAddress) {

    /** The record with its place in the chain: {@code seq} 0 and no hashes while it has none. */
    public AuditRecord at(long seq, String prevHash, String hash) {
        return new AuditRecord(
                seq,
                occurredAt,
                actor,
                action,
                outcome,
                code,
                certificateSerial,
                renewalId,
                detail,
                clientAddress,
                prevHash,
                hash);
    }
}
