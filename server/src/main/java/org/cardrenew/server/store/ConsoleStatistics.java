package org.cardrenew.server.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The raw figures behind the console dashboard; grouping into days and weeks happens in Java (portable SQL). */
@Repository
public class ConsoleStatistics {

    private final JdbcClient jdbc;

    public ConsoleStatistics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** When renewals completed in [from, to). */
    public List<Instant> renewalsCompleted(Instant from, Instant to) {
        return jdbc.sql("SELECT completed_at FROM renewal WHERE completed_at >= ? AND completed_at < ?")
                .params(Timestamps.of(from), Timestamps.of(to))
                .query((rs, n) -> Timestamps.read(rs, "completed_at"))
                .list();
    }

    /** notAfter of the signing certificates of active, unrevoked pairs expiring in [from, to). */
    public List<Instant> activePairsExpiring(Instant from, Instant to) {
        return jdbc.sql("""
                SELECT c.not_after FROM certificate c JOIN card_pair p ON p.id = c.pair_id
                WHERE p.status = 'ACTIVE' AND c.kind = 'SIGNING' AND c.revoked_at IS NULL
                  AND c.not_after >= ? AND c.not_after < ?""")
                .params(Timestamps.of(from), Timestamps.of(to))
                .query((rs, n) -> Timestamps.read(rs, "not_after"))
                .list();
    }

    /** Refused decisions since {@code from}, counted by code, most frequent first. */
    public Map<String, Long> refusalsByCode(Instant from) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT COALESCE(code, 'NONE') AS code, COUNT(*) AS n FROM audit_event
                WHERE outcome = 'REFUSED' AND occurred_at >= ?
                GROUP BY COALESCE(code, 'NONE') ORDER BY n DESC, code""").param(Timestamps.of(from)).query(rs -> {
            counts.put(rs.getString("code"), rs.getLong("n"));
        });
        return counts;
    }
}
