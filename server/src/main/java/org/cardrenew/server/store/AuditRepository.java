package org.cardrenew.server.store;

import static org.cardrenew.server.store.OptionalParameters.text;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The append-only audit table, its one-row chain head, and the records waiting to be chained. A decision writes its
 * record with {@link #insertPending}; the chainer links pending records in one transaction: {@link #lockHead()},
 * {@link #oldestPending}, {@link #insertAll}, {@link #deletePending}, {@link #advanceHead(Head)}.
 */
@Repository
public class AuditRepository {

    /** The chain's head: the last sequence number and hash. */
    public record Head(long lastSeq, String lastHash) {}

    private static final WritesAtCommit.OneRowInsert INSERT_PENDING = new WritesAtCommit.OneRowInsert("""
            INSERT INTO audit_pending (occurred_at, actor, action, outcome, code, certificate_serial, renewal_id,
                                       detail, client_address)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""");

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

    /**
     * Writes a record to be chained later, in the caller's transaction: with its COMMIT when the server's transaction
     * manager runs it ({@link WritesAtCommit}), at once otherwise.
     */
    public void insertPending(AuditPending p) {
        WritesAtCommit.write(
                INSERT_PENDING.with(Arrays.asList(
                        Timestamps.of(p.occurredAt()),
                        p.actor(),
                        p.action(),
                        p.outcome(),
                        text(p.code()),
                        text(p.certificateSerial()),
                        text(p.renewalId()),
                        text(p.detail()),
                        text(p.clientAddress()))),
                jdbc);
    }

    /**
     * Up to {@code limit} records waiting to be chained with an id above {@code afterId} (0: all), in the order they
     * were written (by id). The bound keeps the scan off the rows chained before it: on PostgreSQL each of them stays
     * in the primary key's index, dead, until a vacuum removes it, and while a snapshot older than its deletion is
     * open (a backup, a long report) the index scan visits its heap row too (issue 14, docs/BENCHMARKS.md, session 21).
     */
    public List<AuditPending> oldestPending(long afterId, int limit) {
        return jdbc.sql("SELECT * FROM audit_pending WHERE id > ? ORDER BY id LIMIT ?")
                .params(afterId, limit)
                .query(AuditRepository::pending)
                .list();
    }

    /** Whether any record waits to be chained (no lock: a cheap look before a chaining transaction). */
    public boolean anyPending() {
        return jdbc.sql("SELECT id FROM audit_pending ORDER BY id LIMIT 1")
                .query(Long.class)
                .optional()
                .isPresent();
    }

    /** How many records wait to be chained, and when the oldest of them was decided (null: none). */
    public record PendingSummary(long count, Instant oldest) {}

    public PendingSummary pendingSummary() {
        return jdbc.sql("SELECT COUNT(*) AS n, MIN(occurred_at) AS oldest FROM audit_pending")
                .query((rs, n) -> new PendingSummary(rs.getLong("n"), Timestamps.read(rs, "oldest")))
                .single();
    }

    /**
     * Deletes chained records from the pending ones (on PostgreSQL only chained ones can go), in one statement whose
     * list of ids has a power-of-two length, the last id repeated to fill it: see {@link #insertAll} for why.
     */
    public void deletePending(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        int length = Integer.bitCount(ids.size()) == 1 ? ids.size() : Integer.highestOneBit(ids.size()) << 1;
        List<Object> params = new ArrayList<>(length);
        params.addAll(ids);
        while (params.size() < length) {
            params.add(ids.get(ids.size() - 1));
        }
        String marks = String.join(", ", java.util.Collections.nCopies(length, "?"));
        jdbc.sql("DELETE FROM audit_pending WHERE id IN (" + marks + ")")
                .params(params)
                .update();
    }

    /**
     * Inserts the records in their order, in statements of a power-of-two number of rows (a batch of 30 is 16, 8, 4
     * and 2 rows); {@code pendingIds} are the pending rows they were chained from, one per record.
     *
     * <p>Why the chainer's statements come in nine lengths (issue 14, docs/BENCHMARKS.md, session 9): PostgreSQL's
     * driver keeps each connection's prepared statements in a cache of 256 texts, and a multi-row {@code INSERT} (or
     * an {@code IN} list) of every batch size from 1 to 256 filled it on the pool's connections and pushed the renewal
     * path's statements out; each was then parsed and planned again on its next uses and prepared anew, over and
     * over: 5.2 s of PostgreSQL planning in 20 s of load (1.3 ms per renewal), 0.4 s with a cache large enough.
     */
    public void insertAll(List<AuditRecord> records, List<Long> pendingIds) {
        if (pendingIds.size() != records.size()) {
            throw new IllegalArgumentException("one pending id per record");
        }
        for (int from = 0; from < records.size(); ) {
            int rows = Integer.highestOneBit(records.size() - from);
            insertRows(records.subList(from, from + rows), pendingIds.subList(from, from + rows));
            from += rows;
        }
    }

    private void insertRows(List<AuditRecord> records, List<Long> pendingIds) {
        StringBuilder sql = new StringBuilder("""
                INSERT INTO audit_event (seq, occurred_at, actor, action, outcome, code, certificate_serial, renewal_id,
                                         detail, client_address, prev_hash, hash, pending_id)
                VALUES """);
        List<Object> params = new ArrayList<>(records.size() * 13);
        for (int i = 0; i < records.size(); i++) {
            AuditRecord r = records.get(i);
            sql.append(params.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            params.addAll(Arrays.asList(
                    r.seq(),
                    Timestamps.of(r.occurredAt()),
                    r.actor(),
                    r.action(),
                    r.outcome(),
                    text(r.code()),
                    text(r.certificateSerial()),
                    text(r.renewalId()),
                    text(r.detail()),
                    text(r.clientAddress()),
                    r.prevHash(),
                    r.hash(),
                    pendingIds.get(i)));
        }
        jdbc.sql(sql.toString()).params(params).update();
    }

    /** Moves the head (locked by {@link #lockHead()} in this transaction) to the last appended record. */
    public void advanceHead(Head to) {
        jdbc.sql("UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1")
                .params(to.lastSeq(), to.lastHash())
                .update();
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

    static AuditPending pending(ResultSet rs, int row) throws SQLException {
        return new AuditPending(
                rs.getLong("id"),
                Timestamps.read(rs, "occurred_at"),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("outcome"),
                rs.getString("code"),
                rs.getString("certificate_serial"),
                rs.getString("renewal_id"),
                rs.getString("detail"),
                rs.getString("client_address"));
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_event").query(Long.class).single();
    }
}
