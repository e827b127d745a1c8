package org.cardrenew.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The write-ahead log PostgreSQL wrote and flushed during a phase, from {@code pg_stat_wal} (PostgreSQL 14 and later):
 * how much a renewal makes the database write and wait for the disk, which statement counts do not show (an index
 * entry is a record of its own; every flush is a wait for the disk that a commit cannot skip). The view covers the
 * whole cluster (autovacuum, other databases), so the figures are the server's only while nothing else writes.
 */
final class WalCounts {

    /** The cluster's counters at one moment; {@code available} false (and why) where the view is missing. */
    record Snapshot(boolean available, String why, long records, long fullPageImages, long bytes, long flushes) {

        static Snapshot missing(String why) {
            return new Snapshot(false, why, 0, 0, 0, 0);
        }
    }

    /** The change between two snapshots, per unit of work. */
    record Delta(
            boolean available,
            String why,
            double recordsPer,
            double fullPageImagesPer,
            double bytesPer,
            double flushesPer) {

        String line() {
            if (!available) {
                return "n/a (" + why + ")";
            }
            return String.format(
                    Locale.ROOT,
                    "%.1f records (%.2f full-page images), %.1f KB, %.2f flushes to disk per unit",
                    recordsPer,
                    fullPageImagesPer,
                    bytesPer / 1024,
                    flushesPer);
        }
    }

    private WalCounts() {}

    static Snapshot take(String url, String user, String password) {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "/* cardrenew-bench */ SELECT wal_records, wal_fpi, wal_bytes, wal_sync FROM pg_stat_wal")) {
            rs.next();
            return new Snapshot(true, "", rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
        } catch (SQLException e) {
            return Snapshot.missing(
                    e.getMessage().contains("pg_stat_wal")
                            ? "pg_stat_wal needs PostgreSQL 14 or later"
                            : e.getMessage());
        }
    }

    /** What was written between {@code before} and {@code after}, per unit of {@code units}. */
    static Delta between(Snapshot before, Snapshot after, long units) {
        if (!before.available() || !after.available()) {
            return new Delta(false, before.available() ? after.why() : before.why(), 0, 0, 0, 0);
        }
        if (units <= 0) {
            return new Delta(false, "nothing completed", 0, 0, 0, 0);
        }
        double n = units;
        return new Delta(
                true,
                "",
                (after.records() - before.records()) / n,
                (after.fullPageImages() - before.fullPageImages()) / n,
                (after.bytes() - before.bytes()) / n,
                (after.flushes() - before.flushes()) / n);
    }
}
