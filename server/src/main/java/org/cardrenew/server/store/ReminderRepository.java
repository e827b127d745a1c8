package org.cardrenew.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The reminder outbox (issue 4). The scan is one INSERT ... SELECT over the (kind, not_after) index; the UNIQUE
 * (pair_id, offset_days) constraint makes a reminder impossible to create twice, and senders on several nodes claim
 * rows with {@code FOR UPDATE SKIP LOCKED} plus a lease. See docs/REMINDERS.md.
 */
@Repository
public class ReminderRepository {

    static final String MISSED = "missed: a later reminder was already due";
    static final String OVERTAKEN = "overtaken: a later reminder is due";

    private final JdbcClient jdbc;

    public ReminderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Creates the reminders that are due: for each ACTIVE, not renewed, not expired pair whose signing certificate's
     * notAfter is before one of the deadlines, a PENDING row for the smallest offset reached (the most recent one due)
     * and SKIPPED rows for the larger offsets it never had (catch-up: stale reminders are recorded, never sent).
     * A pair that already has a reminder at an offset at or below one gets nothing more for it.
     *
     * @param deadlines one per configured offset
     * @return rows inserted (PENDING and SKIPPED)
     * @throws org.springframework.dao.DuplicateKeyException when another node inserted the same reminder meanwhile;
     *         the caller repeats the statement, which then skips what the other node created
     */
    public int insertDue(List<OffsetDeadline> deadlines, Instant now) {
        return insertDueStatement("", deadlines, now).update();
    }

    /**
     * The scan statement, optionally prefixed (the benchmark prefixes EXPLAIN ANALYZE). ORDER BY does two jobs: its Sort
     * reads every candidate before the first row is inserted, so the NOT EXISTS probe never scans rows this statement
     * is inserting (PostgreSQL plans a sequential probe while the table looks empty, which made a first scan of 73,000
     * reminders quadratic: 133 s instead of 1.5 s); and two nodes scanning at once insert in the same key order, so
     * they queue on the unique index instead of deadlocking.
     */
    JdbcClient.StatementSpec insertDueStatement(String prefix, List<OffsetDeadline> deadlines, Instant now) {
        List<OffsetDeadline> ascending = deadlines.stream()
                .sorted(Comparator.comparingInt(OffsetDeadline::offsetDays))
                .toList();
        OffsetDeadline largest = ascending.get(ascending.size() - 1);
        // the offsets are configuration integers, so they are written into the statement as literals
        StringBuilder current = new StringBuilder();
        if (ascending.size() == 1) {
            current.append(largest.offsetDays());
        } else {
            current.append("CASE");
            for (int i = 0; i < ascending.size() - 1; i++) {
                current.append(" WHEN c.not_after < :before")
                        .append(i)
                        .append(" THEN ")
                        .append(ascending.get(i).offsetDays());
            }
            current.append(" ELSE ").append(largest.offsetDays()).append(" END");
        }
        String offsets = ascending.stream()
                .map(d -> "SELECT " + d.offsetDays() + " AS offset_days")
                .collect(Collectors.joining(" UNION ALL "));
        JdbcClient.StatementSpec statement = jdbc.sql(prefix + """
                INSERT INTO reminder (pair_id, offset_days, state, created_at, next_attempt_at, closed_reason)
                SELECT due.pair_id, o.offset_days,
                       CASE WHEN o.offset_days = due.current_offset THEN 'PENDING' ELSE 'SKIPPED' END,
                       :now, :now,
                       CASE WHEN o.offset_days = due.current_offset THEN NULL ELSE :missed END
                FROM (SELECT c.pair_id AS pair_id, %s AS current_offset
                      FROM certificate c
                      JOIN card_pair p ON p.id = c.pair_id
                      WHERE c.kind = 'SIGNING' AND c.not_after >= :now AND c.not_after < :last
                        AND p.status = 'ACTIVE'
                        AND NOT EXISTS (SELECT 1 FROM renewal rn
                                        WHERE rn.old_pair_id = c.pair_id AND rn.state IN ('ISSUED', 'COMPLETED'))) due
                JOIN (%s) o ON o.offset_days >= due.current_offset
                WHERE NOT EXISTS (SELECT 1 FROM reminder x WHERE x.pair_id = due.pair_id AND x.offset_days <= o.offset_days)
                ORDER BY due.pair_id, o.offset_days
                """.formatted(current, offsets))
                .param("now", Timestamps.of(now))
                .param("last", Timestamps.of(largest.notAfterBefore()))
                .param("missed", MISSED);
        for (int i = 0; i < ascending.size() - 1; i++) {
            statement =
                    statement.param("before" + i, Timestamps.of(ascending.get(i).notAfterBefore()));
        }
        return statement;
    }

    /** PENDING reminders of pairs renewed, revoked or expired become CANCELLED (rows a sender holds are left to it). */
    public int cancelNoLongerCurrent(Instant now) {
        int renewed = jdbc.sql("""
                UPDATE reminder SET state = 'CANCELLED', closed_reason = 'renewed'
                WHERE state = 'PENDING' AND (claimed_until IS NULL OR claimed_until < :now)
                  AND (EXISTS (SELECT 1 FROM card_pair p WHERE p.id = reminder.pair_id AND p.status = 'SUPERSEDED')
                       OR EXISTS (SELECT 1 FROM renewal rn WHERE rn.old_pair_id = reminder.pair_id
                                  AND rn.state IN ('ISSUED', 'COMPLETED')))""").param("now", Timestamps.of(now)).update();
        int revoked = jdbc.sql("""
                UPDATE reminder SET state = 'CANCELLED', closed_reason = 'revoked'
                WHERE state = 'PENDING' AND (claimed_until IS NULL OR claimed_until < :now)
                  AND EXISTS (SELECT 1 FROM card_pair p WHERE p.id = reminder.pair_id AND p.status = 'REVOKED')""").param("now", Timestamps.of(now)).update();
        int expired = jdbc.sql("""
                UPDATE reminder SET state = 'CANCELLED', closed_reason = 'expired'
                WHERE state = 'PENDING' AND (claimed_until IS NULL OR claimed_until < :now)
                  AND EXISTS (SELECT 1 FROM certificate c WHERE c.pair_id = reminder.pair_id AND c.kind = 'SIGNING'
                              AND c.not_after < :now)""").param("now", Timestamps.of(now)).update();
        return renewed + revoked + expired;
    }

    /** Scheduled PENDING reminders overtaken by a later offset of the same pair become SKIPPED: never send stale ones. */
    public int skipOvertaken(Instant now) {
        return jdbc.sql("""
                UPDATE reminder SET state = 'SKIPPED', closed_reason = :reason
                WHERE state = 'PENDING' AND generation = 0 AND (claimed_until IS NULL OR claimed_until < :now)
                  AND EXISTS (SELECT 1 FROM reminder n
                              WHERE n.pair_id = reminder.pair_id AND n.offset_days < reminder.offset_days)""")
                .param("reason", OVERTAKEN)
                .param("now", Timestamps.of(now))
                .update();
    }

    /**
     * Claims up to {@code limit} due PENDING reminders for one sender: locks them with {@code FOR UPDATE SKIP LOCKED}
     * (another node's claim in flight is skipped, not waited for) and writes the lease. Call in a transaction; the rows
     * stay claimed after it commits, until {@code until}.
     */
    public List<ReminderId> claimDue(Instant now, Instant until, String claimant, int limit) {
        List<Long> ids = jdbc.sql("""
                SELECT id FROM reminder
                WHERE state = 'PENDING' AND next_attempt_at <= :now AND (claimed_until IS NULL OR claimed_until < :now)
                ORDER BY next_attempt_at, id
                LIMIT :limit
                FOR UPDATE SKIP LOCKED""")
                .param("now", Timestamps.of(now))
                .param("limit", limit)
                .query(Long.class)
                .list();
        if (ids.isEmpty()) {
            return List.of();
        }
        jdbc.sql("UPDATE reminder SET claimed_by = :claimant, claimed_until = :until WHERE id IN (:ids)")
                .param("claimant", claimant)
                .param("until", Timestamps.of(until))
                .param("ids", ids)
                .update();
        return ids.stream().map(ReminderId::new).toList();
    }

    public Optional<ReminderDelivery> delivery(ReminderId id) {
        return jdbc.sql("""
                SELECT r.*, p.holder_id, p.status AS pair_status,
                       (SELECT COUNT(*) FROM renewal rn
                        WHERE rn.old_pair_id = r.pair_id AND rn.state IN ('ISSUED', 'COMPLETED')) AS renewals,
                       (SELECT MIN(n.offset_days) FROM reminder n WHERE n.pair_id = r.pair_id) AS latest_offset,
                       h.name AS holder_name, h.email, h.language, c.subject_dn, c.not_after
                FROM reminder r
                JOIN card_pair p ON p.id = r.pair_id
                JOIN holder h ON h.holder_id = p.holder_id
                JOIN certificate c ON c.pair_id = r.pair_id AND c.kind = 'SIGNING'
                WHERE r.id = ?""")
                .param(id.value())
                .query((rs, n) -> new ReminderDelivery(
                        reminder(rs),
                        PairStatus.valueOf(rs.getString("pair_status")),
                        rs.getLong("renewals") > 0,
                        rs.getInt("latest_offset"),
                        rs.getString("holder_name"),
                        rs.getString("email"),
                        rs.getString("language"),
                        rs.getString("subject_dn"),
                        Timestamps.read(rs, "not_after")))
                .optional();
    }

    /** Records the SMTP server's acceptance; false when the claim was lost (the lease ran out and another node took it). */
    public boolean markSent(ReminderId id, String claimant, Instant at, String messageId, String recipient) {
        return jdbc.sql("""
                UPDATE reminder SET state = 'SENT', sent_at = ?, message_id = ?, recipient = ?, attempts = attempts + 1,
                                    last_error = NULL, claimed_by = NULL, claimed_until = NULL
                WHERE id = ? AND claimed_by = ?""")
                        .params(Timestamps.of(at), messageId, recipient, id.value(), claimant)
                        .update()
                == 1;
    }

    /** A failed attempt: the reminder stays PENDING and is tried again at {@code nextAttempt}. */
    public boolean markRetry(ReminderId id, String claimant, Instant nextAttempt, String error) {
        return jdbc.sql("""
                UPDATE reminder SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?,
                                    claimed_by = NULL, claimed_until = NULL
                WHERE id = ? AND claimed_by = ?""")
                        .params(Timestamps.of(nextAttempt), truncate(error), id.value(), claimant)
                        .update()
                == 1;
    }

    /**
     * Ends a claimed reminder without sending it (FAILED, SKIPPED, CANCELLED, NO_ADDRESS).
     *
     * @param attemptError the SMTP error when a delivery was attempted (FAILED), null when nothing was attempted
     */
    public boolean close(ReminderId id, String claimant, ReminderState state, String reason, String attemptError) {
        return jdbc.sql("""
                UPDATE reminder SET state = ?, closed_reason = ?, attempts = attempts + ?,
                                    last_error = COALESCE(?, last_error), claimed_by = NULL, claimed_until = NULL
                WHERE id = ? AND claimed_by = ?""")
                        .params(
                                state.name(),
                                truncate(reason),
                                attemptError == null ? 0 : 1,
                                truncate(attemptError),
                                id.value(),
                                claimant)
                        .update()
                == 1;
    }

    /**
     * Queues a reminder again (administrator's re-send): PENDING, next generation (a new Message-ID), attempts reset.
     * False when it does not exist or a sender holds it right now.
     */
    public boolean requeue(ReminderId id, Instant now) {
        return jdbc.sql("""
                UPDATE reminder SET state = 'PENDING', generation = generation + 1, attempts = 0, next_attempt_at = :now,
                                    last_error = NULL, closed_reason = NULL
                WHERE id = :id AND (claimed_until IS NULL OR claimed_until < :now)""")
                        .param("now", Timestamps.of(now))
                        .param("id", id.value())
                        .update()
                == 1;
    }

    public Optional<Reminder> find(ReminderId id) {
        return jdbc.sql("SELECT r.*, p.holder_id FROM reminder r JOIN card_pair p ON p.id = r.pair_id WHERE r.id = ?")
                .param(id.value())
                .query((rs, n) -> reminder(rs))
                .optional();
    }

    public List<Reminder> forPair(PairId pair) {
        return jdbc.sql("""
                SELECT r.*, p.holder_id FROM reminder r JOIN card_pair p ON p.id = r.pair_id
                WHERE r.pair_id = ? ORDER BY r.offset_days DESC""").param(pair.value()).query((rs, n) -> reminder(rs)).list();
    }

    /** Newest first; {@code state} null lists every state. */
    public List<Reminder> page(ReminderState state, int offset, int limit) {
        return jdbc.sql("""
                SELECT r.*, p.holder_id FROM reminder r JOIN card_pair p ON p.id = r.pair_id
                WHERE (CAST(:state AS VARCHAR(16)) IS NULL OR r.state = CAST(:state AS VARCHAR(16)))
                ORDER BY r.id DESC
                LIMIT :limit OFFSET :offset""")
                .param("state", state == null ? null : state.name())
                .param("limit", limit)
                .param("offset", offset)
                .query((rs, n) -> reminder(rs))
                .list();
    }

    public Map<ReminderState, Long> countByState() {
        Map<ReminderState, Long> counts = new EnumMap<>(ReminderState.class);
        for (ReminderState s : ReminderState.values()) {
            counts.put(s, 0L);
        }
        jdbc.sql("SELECT state, COUNT(*) AS n FROM reminder GROUP BY state").query((ResultSet rs) -> {
            counts.put(ReminderState.valueOf(rs.getString("state")), rs.getLong("n"));
        });
        return counts;
    }

    /** Holders with a current (ACTIVE, unexpired) card and no e-mail address, the earliest expiry first. */
    public List<UnreachableHolder> holdersWithoutEmail(Instant now, int offset, int limit) {
        return jdbc.sql("""
                SELECT h.holder_id, h.name, h.organization, MIN(c.not_after) AS not_after
                FROM holder h
                JOIN card_pair p ON p.holder_id = h.holder_id AND p.status = 'ACTIVE'
                JOIN certificate c ON c.pair_id = p.id AND c.kind = 'SIGNING'
                WHERE (h.email IS NULL OR h.email = '') AND c.not_after >= :now
                GROUP BY h.holder_id, h.name, h.organization
                ORDER BY MIN(c.not_after), h.holder_id
                LIMIT :limit OFFSET :offset""")
                .param("now", Timestamps.of(now))
                .param("limit", limit)
                .param("offset", offset)
                .query((rs, n) -> new UnreachableHolder(
                        new HolderId(rs.getString("holder_id")),
                        rs.getString("name"),
                        rs.getString("organization"),
                        Timestamps.read(rs, "not_after")))
                .list();
    }

    public long countHoldersWithoutEmail(Instant now) {
        return jdbc.sql("""
                SELECT COUNT(DISTINCT h.holder_id)
                FROM holder h
                JOIN card_pair p ON p.holder_id = h.holder_id AND p.status = 'ACTIVE'
                JOIN certificate c ON c.pair_id = p.id AND c.kind = 'SIGNING'
                WHERE (h.email IS NULL OR h.email = '') AND c.not_after >= :now""").param("now", Timestamps.of(now)).query(Long.class).single();
    }

    private static Reminder reminder(ResultSet rs) throws SQLException {
        return new Reminder(
                new ReminderId(rs.getLong("id")),
                new PairId(rs.getLong("pair_id")),
                new HolderId(rs.getString("holder_id")),
                rs.getInt("offset_days"),
                ReminderState.valueOf(rs.getString("state")),
                Timestamps.read(rs, "created_at"),
                rs.getInt("attempts"),
                Timestamps.read(rs, "next_attempt_at"),
                rs.getString("last_error"),
                rs.getInt("generation"),
                rs.getString("message_id"),
                rs.getString("recipient"),
                Timestamps.read(rs, "sent_at"),
                rs.getString("closed_reason"));
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
