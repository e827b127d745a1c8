package org.cardrenew.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Console users and their roles (issue 7). */
@Repository
public class ConsoleUserRepository {

    private final JdbcClient jdbc;

    public ConsoleUserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts; a name already taken fails with DuplicateKeyException. */
    public void insert(ConsoleUser u) {
        jdbc.sql("""
                INSERT INTO console_user (name, role, password_hash, totp_key, last_step, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        u.name(),
                        u.role(),
                        u.passwordHash(),
                        u.totpKey(),
                        u.lastStep(),
                        Timestamps.of(u.createdAt()),
                        u.createdBy())
                .update();
    }

    public Optional<ConsoleUser> find(String name) {
        return jdbc.sql("SELECT * FROM console_user WHERE name = ?")
                .param(name)
                .query(this::row)
                .optional();
    }

    public List<ConsoleUser> all() {
        return jdbc.sql("SELECT * FROM console_user ORDER BY name")
                .query(this::row)
                .list();
    }

    public long countWithRole(String role) {
        return jdbc.sql("SELECT COUNT(*) FROM console_user WHERE role = ?")
                .param(role)
                .query(Long.class)
                .single();
    }

    /** Accepts a TOTP step only if it is newer than the last one accepted, atomically across nodes. */
    public boolean acceptStep(String name, long step) {
        return jdbc.sql("UPDATE console_user SET last_step = ? WHERE name = ? AND last_step < ?")
                        .params(step, name, step)
                        .update()
                == 1;
    }

    /** Counts one more failed sign-in of the account and answers the failures in a row; 0 when no such account. */
    public int countFailure(String name) {
        if (jdbc.sql("UPDATE console_user SET failed_sign_ins = failed_sign_ins + 1 WHERE name = ?")
                        .param(name)
                        .update()
                == 0) {
            return 0;
        }
        return jdbc.sql("SELECT failed_sign_ins FROM console_user WHERE name = ?")
                .param(name)
                .query(Integer.class)
                .single();
    }

    /**
     * Locks the account until {@code until} if it has at least {@code failures} failures in a row, and starts counting
     * afresh; true for the one caller (of all nodes) that locked it.
     */
    public boolean lock(String name, int failures, Instant until) {
        return jdbc.sql(
                                "UPDATE console_user SET locked_until = ?, failed_sign_ins = 0 WHERE name = ? AND failed_sign_ins >= ?")
                        .params(Timestamps.of(until), name, failures)
                        .update()
                == 1;
    }

    /** When the account's lock ends, if it is locked at {@code now}. */
    public Optional<Instant> lockedUntil(String name, Instant now) {
        return jdbc.sql("SELECT locked_until FROM console_user WHERE name = ? AND locked_until > ?")
                .params(name, Timestamps.of(now))
                .query((rs, n) -> Timestamps.read(rs, "locked_until"))
                .optional();
    }

    /** The accounts locked at {@code now} and when each lock ends (the console's user list). */
    public Map<String, Instant> locks(Instant now) {
        Map<String, Instant> locks = new TreeMap<>();
        jdbc.sql("SELECT name, locked_until FROM console_user WHERE locked_until > ?")
                .param(Timestamps.of(now))
                .query((rs, n) -> locks.put(rs.getString("name"), Timestamps.read(rs, "locked_until")))
                .list();
        return locks;
    }

    /** A successful sign-in: the failures in a row start again from zero (no write when there were none). */
    public void clearFailures(String name) {
        jdbc.sql("UPDATE console_user SET failed_sign_ins = 0 WHERE name = ? AND failed_sign_ins > 0")
                .param(name)
                .update();
    }

    /** Ends the account's lock and failure count; false when there is no such account. */
    public boolean unlock(String name) {
        return jdbc.sql("UPDATE console_user SET locked_until = NULL, failed_sign_ins = 0 WHERE name = ?")
                        .param(name)
                        .update()
                == 1;
    }

    /** Replaces a stored TOTP key if it is still {@code expected} (sealing keys stored before they were sealed). */
    public boolean replaceTotpKey(String name, byte[] expected, byte[] replacement) {
        return jdbc.sql("UPDATE console_user SET totp_key = ? WHERE name = ? AND totp_key = ?")
                        .params(replacement, name, expected)
                        .update()
                == 1;
    }

    private ConsoleUser row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new ConsoleUser(
                rs.getString("name"),
                rs.getString("role"),
                rs.getString("password_hash"),
                rs.getBytes("totp_key"),
                rs.getLong("last_step"),
                Timestamps.read(rs, "created_at"),
                rs.getString("created_by"));
    }
}
