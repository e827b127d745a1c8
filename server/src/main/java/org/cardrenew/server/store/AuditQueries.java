package org.cardrenew.server.store;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Read-only views of the audit trail for the console. */
@Repository
public class AuditQueries {

    private final JdbcClient jdbc;

    public AuditQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The newest record of an action, if any (the console shows the last verification without verifying again): one
     * still waiting to be chained is newer than every chained one; it has no place in the chain yet (seq 0).
     */
    public Optional<AuditRecord> latestOf(String action) {
        Optional<AuditRecord> pending = jdbc.sql(
                        "SELECT * FROM audit_pending WHERE action = ? ORDER BY id DESC LIMIT 1")
                .param(action)
                .query(AuditRepository::pending)
                .optional()
                .map(p -> p.at(0, null, null));
        return pending.isPresent()
                ? pending
                : jdbc.sql("SELECT * FROM audit_event WHERE action = ? ORDER BY seq DESC LIMIT 1")
                        .param(action)
                        .query(AuditRepository::record)
                        .optional();
    }

    /** The newest records first. */
    public List<AuditRecord> latest(int limit) {
        return jdbc.sql("SELECT * FROM audit_event ORDER BY seq DESC LIMIT ?")
                .param(limit)
                .query(AuditRepository::record)
                .list();
    }
}
