package org.cardrenew.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The append-only audit table and its one-row chain head. Callers append inside one transaction:
 * {@link #lockHead()}, {@link #advanceHead(Head)}, {@link #insertAll} — or, when the caller knows the head,
 * {@link #advanceHead(Head, Head)} and {@link #insertAll}.
 */
@Repository
public class AuditRepository {

    /** The chain's head: the last sequence number and hash. */
    public record Head(long lastSeq, String lastHash) {}

    private final JdbcClient jdbc;

    public AuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks the head row until the transaction ends, so appends from all nodes form one chain. */
    public Head lockHead() {
        return jdbc.sql("SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE")
                .query((rs, n) -> new Head(rs.getLong("last_seq"), rs.getString("last_hash")))
                .single();
    }

    /** Inserts the records in one statement (one round trip), in their order. */
    public void insertAll(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("""
                INSERT INTO audit_event (seq, occurred_at, actor, action, outcome, code, certificate_serial, renewal_id,
                                         detail, client_address, prev_hash, hash)
                VALUES """);
        List<Object> params = new ArrayList<>(records.size() * 12);
        for (AuditRecord r : records) {
            sql.append(params.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            params.addAll(Arrays.asList(
                    r.seq(),
                    Timestamps.of(r.occurredAt()),
                    r.actor(),
                    r.action(),
                    r.outcome(),
                    r.code(),
                    r.certificateSerial(),
                    r.renewalId(),
                    r.detail(),
                    r.clientAddress(),
                    r.prevHash(),
                    r.hash()));
        }
        jdbc.sql(sql.toString()).params(params).update();
    }

    /** Moves the head (locked by {@link #lockHead()} in this transaction) to the last appended record. */
    public void advanceHead(Head to) {
        jdbc.sql("UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1")
                .params(to.lastSeq(), to.lastHash())
                .update();
    }

    /**
     * Moves the head from {@code from} to {@code to} if it still is {@code from}; the row stays locked until the
     * transaction ends either way. False when another writer moved it: read it with {@link #lockHead()} and rechain.
     */
    public boolean advanceHead(Head from, Head to) {
        return jdbc.sql(
                                "UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1 AND last_seq = ? AND last_hash = ?")
                        .params(to.lastSeq(), to.lastHash(), from.lastSeq(), from.lastHash())
                        .update()
                == 1;
    }

    /** The whole chain in order (tests; verification pages through it with {@link #forEachInOrder}). */
    public List<AuditRecord> all() {
        return jdbc.sql("SELECT * FROM audit_event ORDER BY seq")
                .query(AuditRepository::record)
                .list();
    }

    /**
     * Hands every record to {@code each} in sequence order, {@code pageSize} rows at a time (keyset paging on seq),
     * so memory stays constant however long the trail. Call inside one repeatable-read transaction for a
     * consistent view while others append.
     */
    public void forEachInOrder(int pageSize, Consumer<AuditRecord> each) {
        long after = Long.MIN_VALUE; // a tampered seq may be zero or negative: it must still be read
        while (true) {
            List<AuditRecord> page = jdbc.sql("SELECT * FROM audit_event WHERE seq > ? ORDER BY seq LIMIT ?")
                    .params(after, pageSize)
                    .query(AuditRepository::record)
                    .list();
            page.forEach(each);
            if (page.size() < pageSize) {
                return;
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    static AuditRecord record(ResultSet rs, int row) throws SQLException {
        return new AuditRecord(
                rs.getLong("seq"),
                Timestamps.read(rs, "occurred_at"),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("outcome"),
                rs.getString("code"),
                rs.getString("certificate_serial"),
                rs.getString("renewal_id"),
                rs.getString("detail"),
                rs.getString("client_address"),
                rs.getString("prev_hash"),
                rs.getString("hash"));
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_event").query(Long.class).single();
    }
}
