package org.cardrenew.server.store;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Read-only views of the audit trail for the console. */
@Repository
public class AuditQueries {

    private final JdbcClient jdbc;

    public AuditQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The newest records first. */
    public List<AuditRecord> latest(int limit) {
        return jdbc.sql("SELECT * FROM audit_event ORDER BY seq DESC LIMIT ?").param(limit)
                .query((rs, n) -> new AuditRecord(rs.getLong("seq"), Timestamps.read(rs, "occurred_at"),
                        rs.getString("actor"), rs.getString("action"), rs.getString("outcome"), rs.getString("code"),
                        rs.getString("certificate_serial"), rs.getString("renewal_id"), rs.getString("detail"),
                        rs.getString("client_address"), rs.getString("prev_hash"), rs.getString("hash")))
                .list();
    }
}
