package org.cardrenew.server.store;

import java.util.List;
import java.util.Optional;
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
                .params(u.name(), u.role(), u.passwordHash(), u.totpKey(), u.lastStep(), Timestamps.of(u.createdAt()),
                        u.createdBy())
                .update();
    }

    public Optional<ConsoleUser> find(String name) {
        return jdbc.sql("SELECT * FROM console_user WHERE name = ?").param(name).query(this::row).optional();
    }

    public List<ConsoleUser> all() {
        return jdbc.sql("SELECT * FROM console_user ORDER BY name").query(this::row).list();
    }

    public long countWithRole(String role) {
        return jdbc.sql("SELECT COUNT(*) FROM console_user WHERE role = ?").param(role).query(Long.class).single();
    }

    /** Accepts a TOTP step only if it is newer than the last one accepted, atomically across nodes. */
    public boolean acceptStep(String name, long step) {
        return jdbc.sql("UPDATE console_user SET last_step = ? WHERE name = ? AND last_step < ?")
                .params(step, name, step).update() == 1;
    }

    private ConsoleUser row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new ConsoleUser(rs.getString("name"), rs.getString("role"), rs.getString("password_hash"),
                rs.getBytes("totp_key"), rs.getLong("last_step"), Timestamps.read(rs, "created_at"),
                rs.getString("created_by"));
    }
}
