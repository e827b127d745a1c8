package org.cardrenew.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SQL statements and commits the benchmarked database served during a phase, from {@code pg_stat_statements} (which
 * must be preloaded: {@code scripts/test.sh} does it, see {@code enable_pg_stat_statements} in scripts/lib-setup.sh)
 * and {@code pg_stat_database.xact_commit}. Both count every client of the database, so the figures are the server's
 * only while nothing else uses the database: the bench's own statements are the two snapshots, left out by name.
 */
final class SqlCounts {

    private static final String OWN = "/* cardrenew-bench */";

    /** What the statistics held at one moment; {@code available} false when pg_stat_statements is not there. */
    record Snapshot(boolean available, String why, long commits, List<Sql> statements) {
        long calls() {
            return statements.stream().mapToLong(Sql::calls).sum();
        }
    }

    /**
     * One normalised statement: its calls, the time PostgreSQL spent executing them ({@code total_exec_time}, ms) and
     * the shared buffers they touched ({@code shared_blks_hit + shared_blks_read}): a call that reads many more buffers
     * than its rows need shows a plan that scans (session 19 found one that read every renewal awaiting confirmation).
     */
    record Sql(long queryId, String query, long calls, double execMs, long buffers) {
        Sql(long queryId, String query, long calls) {
            this(queryId, query, calls, 0, 0);
        }

        Sql(long queryId, String query, long calls, double execMs) {
            this(queryId, query, calls, execMs, 0);
        }

        /** Both entries' calls, time and buffers, under this one's id and text. */
        Sql plus(Sql other) {
            return new Sql(queryId, query, calls + other.calls, execMs + other.execMs, buffers + other.buffers);
        }
    }

    /** The change between two snapshots, for {@code per} units of work (renewals, status checks). */
    record Delta(
            boolean available, String why, double statementsPer, double commitsPer, double execMsPer, List<Sql> top) {

        String line() {
            if (!available) {
                return "n/a (" + why + ")";
            }
            return String.format(
                    Locale.ROOT,
                    "%.1f statements and %.1f commits per unit; executing them took PostgreSQL %.2f ms per unit",
                    statementsPer,
                    commitsPer,
                    execMsPer);
        }
    }

    private SqlCounts() {}

    static Snapshot take(String url, String user, String password) {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            long commits;
            try (ResultSet rs = s.executeQuery(
                    OWN + " SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                commits = rs.getLong(1);
            }
            // The bench's connection has the run's schema as its search path: find the view where it was created.
            String view;
            try (ResultSet rs = s.executeQuery(OWN + " SELECT quote_ident(n.nspname) FROM pg_extension e"
                    + " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'")) {
                if (!rs.next()) {
                    return new Snapshot(
                            false,
                            "the pg_stat_statements extension is not created in this database;"
                                    + " scripts/test.sh creates it",
                            0,
                            List.of());
                }
                view = rs.getString(1) + ".pg_stat_statements";
            }
            List<Sql> statements = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(OWN + " SELECT queryid, query, calls, total_exec_time,"
                    + " shared_blks_hit + shared_blks_read FROM " + view
                    + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
                while (rs.next()) {
                    String query = rs.getString(2);
                    if (query != null && !query.contains("cardrenew-bench")) {
                        statements.add(new Sql(rs.getLong(1), query, rs.getLong(3), rs.getDouble(4), rs.getLong(5)));
                    }
                }
            }
            return new Snapshot(true, "", commits, statements);
        } catch (SQLException e) {
            String why = e.getMessage().contains("pg_stat_statements")
                    ? "pg_stat_statements is not preloaded or not created in this database; scripts/test.sh enables it"
                    : e.getMessage();
            return new Snapshot(false, why, 0, List.of());
        }
    }

    /**
     * One entry per statement whatever the length of its VALUES list: pg_stat_statements keys a multi-row
     * {@code INSERT ... VALUES ($1, $2), ($3, $4)} by its text, so each row count is an entry of its own, and the
     * list showed only the most frequent one (the audit chain's one-row batches) as if it were all its inserts.
     * The merged entry keeps the most frequent variant's text and the calls of all.
     */
    static List<Sql> mergedRowCounts(List<Sql> statements) {
        Map<String, Sql> merged = new java.util.LinkedHashMap<>();
        for (Sql sql : statements) {
            merged.merge(shape(sql.query()), sql, (a, b) -> a.calls() >= b.calls() ? a.plus(b) : b.plus(a));
        }
        return new ArrayList<>(merged.values());
    }

    /** The statement with its parameters unnumbered and a repeated VALUES tuple written once. */
    static String shape(String query) {
        return query.replaceAll("\\$\\d+", "\\$").replaceAll("(\\([$,\\s]+\\))(\\s*,\\s*\\([$,\\s]+\\))+", "$1");
    }

    /** Statements and commits between {@code before} and {@code after}, per unit of {@code units}. */
    static Delta between(Snapshot before, Snapshot after, long units) {
        if (!before.available() || !after.available()) {
            return new Delta(false, before.available() ? after.why() : before.why(), 0, 0, 0, List.of());
        }
        if (units <= 0) {
            return new Delta(false, "nothing completed", 0, 0, 0, List.of());
        }
        Map<Long, Sql> was = new HashMap<>();
        before.statements().forEach(b -> was.merge(b.queryId(), b, Sql::plus));
        List<Sql> grown = new ArrayList<>();
        for (Sql now : after.statements()) {
            Sql earlier = was.getOrDefault(now.queryId(), new Sql(now.queryId(), now.query(), 0, 0));
            if (now.calls() > earlier.calls()) {
                grown.add(new Sql(
                        now.queryId(),
                        now.query(),
                        now.calls() - earlier.calls(),
                        Math.max(0, now.execMs() - earlier.execMs()),
                        Math.max(0, now.buffers() - earlier.buffers())));
            }
        }
        grown = mergedRowCounts(grown);
        grown.sort(Comparator.comparingLong(Sql::calls).reversed());
        long calls = grown.stream().mapToLong(Sql::calls).sum();
        double execMs = grown.stream().mapToDouble(Sql::execMs).sum();
        // Each snapshot is a transaction of its own: the "before" one ends inside the window.
        long commits = Math.max(0, after.commits() - before.commits() - 1);
        return new Delta(true, "", (double) calls / units, (double) commits / units, execMs / units, grown);
    }
}
