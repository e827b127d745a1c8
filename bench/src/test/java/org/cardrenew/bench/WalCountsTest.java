package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WalCountsTest {

    @Test
    void theLogWrittenIsCountedPerUnit() {
        var before = new WalCounts.Snapshot(true, "", 1_000, 10, 100_000, 50);
        var after = new WalCounts.Snapshot(true, "", 1_000 + 900, 10 + 2, 100_000 + 143_360, 50 + 38);

        WalCounts.Delta delta = WalCounts.between(before, after, 10);

        assertThat(delta.available()).isTrue();
        assertThat(delta.recordsPer()).isEqualTo(90.0);
        assertThat(delta.fullPageImagesPer()).isEqualTo(0.2);
        assertThat(delta.bytesPer()).isEqualTo(14_336.0);
        assertThat(delta.flushesPer()).isEqualTo(3.8);
        assertThat(delta.line().replace("unit", "renewal"))
                .isEqualTo("90.0 records (0.20 full-page images), 14.0 KB, 3.80 flushes to disk per renewal");
    }

    @Test
    void aClusterWithoutTheViewSaysWhyInsteadOfAFigure() {
        var missing = WalCounts.Snapshot.missing("pg_stat_wal needs PostgreSQL 14 or later");
        var fine = new WalCounts.Snapshot(true, "", 5, 0, 500, 1);

        assertThat(WalCounts.between(fine, missing, 10).line())
                .isEqualTo("n/a (pg_stat_wal needs PostgreSQL 14 or later)");
        assertThat(WalCounts.between(fine, fine, 0).line()).isEqualTo("n/a (nothing completed)");
    }

    @Test
    void theTestDatabaseCountsTheLogOfCommittedWrites() throws Exception {
        String url = env("CARDRENEW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/cardrenew_test");
        String user = env("CARDRENEW_TEST_PG_USER", "cardrenew_test");
        String password = env("CARDRENEW_TEST_PG_PASSWORD", "cardrenew_test");
        String schema =
                "walcounts_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        WalCounts.Snapshot before = WalCounts.take(url, user, password);
        assertThat(before.available()).as(before.why()).isTrue();
        try {
            // 200 committed rows, each a heap record and an index record at least; the connection's counters reach
            // the view at the latest when it closes.
            try (var c = DriverManager.getConnection(url, user, password);
                    var s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
                s.execute("CREATE TABLE " + schema + ".probe (id INT PRIMARY KEY)");
                for (int i = 0; i < 200; i++) {
                    s.execute("INSERT INTO " + schema + ".probe VALUES (" + i + ")");
                }
            }
            WalCounts.Delta delta = WalCounts.between(before, grown(before, url, user, password), 1);

            assertThat(delta.recordsPer()).isGreaterThanOrEqualTo(400);
            assertThat(delta.bytesPer()).isPositive();
            assertThat(delta.flushesPer()).as("each insert a commit of its own").isGreaterThanOrEqualTo(1);
        } finally {
            try (var c = DriverManager.getConnection(url, user, password);
                    var s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** The view once the closed connection's counters reached it (a closing backend reports them as it exits). */
    private static WalCounts.Snapshot grown(WalCounts.Snapshot before, String url, String user, String password)
            throws InterruptedException {
        WalCounts.Snapshot now = WalCounts.take(url, user, password);
        for (int i = 0; i < 100 && now.records() - before.records() < 400; i++) {
            Thread.sleep(50);
            now = WalCounts.take(url, user, password);
        }
        return now;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
