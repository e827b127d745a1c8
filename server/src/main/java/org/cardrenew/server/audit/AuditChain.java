package org.cardrenew.server.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.store.KeyHash;

/**
 * The hash chain over audit records: hash = SHA-256(prev_hash, then every field length-prefixed), so removing,
 * reordering or editing a record breaks every later hash.
 */
public final class AuditChain {

    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    public static String hash(
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
            String prevHash) {
        StringBuilder canonical = new StringBuilder(prevHash).append('\n');
        for (Object field : List.of(
                seq,
                occurredAt.toString(),
                field(actor),
                field(action),
                field(outcome),
                field(code),
                field(certificateSerial),
                field(renewalId),
                field(detail),
                field(clientAddress))) {
            String text = Objects.toString(field);
            // length prefix: no choice of field values can make two different records serialise alike
            canonical.append(text.length()).append(':').append(text).append(';');
        }
        return KeyHash.sha256Hex(canonical.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static String hashOf(AuditRecord r) {
        return hash(
                r.seq(),
                r.occurredAt(),
                r.actor(),
                r.action(),
                r.outcome(),
                r.code(),
                r.certificateSerial(),
                r.renewalId(),
                r.detail(),
                r.clientAddress(),
                r.prevHash());
    }

    /** Sequence number of the first record whose link or hash is wrong, or -1 when the chain is intact. */
    public static long firstBroken(List<AuditRecord> records) {
        String prev = GENESIS;
        long expectedSeq = 1;
        for (AuditRecord r : records) {
            if (r.seq() != expectedSeq
                    || !r.prevHash().equals(prev)
                    || !r.hash().equals(hashOf(r))) {
                return r.seq();
            }
            prev = r.hash();
            expectedSeq++;
        }
        return -1;
    }

    private static String field(String value) {
        return value == null ? "\u2400" : value;
    }
}
