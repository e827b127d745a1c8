package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlCountsTest {

    @Test
    void statementsAndCommitsAreCountedPerUnitAndTheFirstSnapshotsCommitIsLeftOut() {
        var before = new SqlCounts.Snapshot(
                true,
                "",
                100,
                List.of(new SqlCounts.Sql(1, "SELECT a", 10, 1.0, 100), new SqlCounts.Sql(2, "UPDATE b", 5, 2.0, 50)));
        var after = new SqlCounts.Snapshot(
                true,
                "",
                100 + 1 + 40,
                List.of(
                        new SqlCounts.Sql(1, "SELECT a", 30, 5.0, 340),
                        new SqlCounts.Sql(2, "UPDATE b", 5, 2.0, 50),
                        new SqlCounts.Sql(3, "INSERT c", 60, 6.0, 600)));

        SqlCounts.Delta delta = SqlCounts.between(before, after, 20);

        assertThat(delta.available()).isTrue();
        assertThat(delta.statementsPer()).isEqualTo(4.0);
        assertThat(delta.commitsPer()).isEqualTo(2.0);
        assertThat(delta.top()).extracting(SqlCounts.Sql::query).containsExactly("INSERT c", "SELECT a");
        // execution time in the window only: SELECT a 5.0 - 1.0, INSERT c 6.0, UPDATE b not run
        assertThat(delta.top()).extracting(SqlCounts.Sql::execMs).containsExactly(6.0, 4.0);
        assertThat(delta.execMsPer()).isEqualTo(0.5);
        // and the buffers: SELECT a 340 - 100
        assertThat(delta.top()).extracting(SqlCounts.Sql::buffers).containsExactly(600L, 240L);
        assertThat(delta.line())
                .isEqualTo("4.0 statements and 2.0 commits per unit; executing them took PostgreSQL 0.50 ms per unit");
    }

    @Test
    void aMultiRowInsertIsOneStatementWhateverItsRowCount() {
        var before = new SqlCounts.Snapshot(true, "", 0, List.of());
        var after = new SqlCounts.Snapshot(
                true,
                "",
                1,
                List.of(
                        new SqlCounts.Sql(1, "UPDATE h SET a = $1 WHERE id = $2", 40),
                        new SqlCounts.Sql(2, "INSERT INTO e (a, b) VALUES ($1, $2)", 30, 3.0, 90),
                        new SqlCounts.Sql(3, "INSERT INTO e (a, b) VALUES ($1, $2), ($3, $4)", 6, 1.0, 30),
                        new SqlCounts.Sql(4, "INSERT INTO e (a, b) VALUES ($1, $2), ($3, $4), ($5, $6)", 4, 0.5, 24),
                        new SqlCounts.Sql(5, "INSERT INTO f (a) VALUES ($1)", 1)));

        SqlCounts.Delta delta = SqlCounts.between(before, after, 10);

        assertThat(delta.top())
                .extracting(SqlCounts.Sql::query, SqlCounts.Sql::calls)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("UPDATE h SET a = $1 WHERE id = $2", 40L),
                        org.assertj.core.groups.Tuple.tuple("INSERT INTO e (a, b) VALUES ($1, $2)", 40L),
                        org.assertj.core.groups.Tuple.tuple("INSERT INTO f (a) VALUES ($1)", 1L));
        assertThat(delta.statementsPer()).isEqualTo(8.1);
        assertThat(delta.top().get(1).execMs())
                .as("the row counts' execution times add up")
                .isEqualTo(4.5);
        assertThat(delta.top().get(1).buffers()).as("and their buffers").isEqualTo(144L);
    }

    @Test
    void theTestDatabaseCountsTheStatementsRunBetweenTwoSnapshots() throws Exception {
        // In a schema of its own, as the bench's server runs: the statistics view stays where it was created.
        String url = env("CARDRENEW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/cardrenew_test")
                + "?currentSchema=bench_absent";
        String user = env("CARDRENEW_TEST_PG_USER", "cardrenew_test");
        String password = env("CARDRENEW_TEST_PG_PASSWORD", "cardrenew_test");
        SqlCounts.Snapshot before = SqlCounts.take(url, user, password);
        assertThat(before.available()).as(before.why()).isTrue();
        // The statistics key a statement by its shape (an alias is not part of it), so the probe is one shape whose
        // count grows by exactly what this test runs, whatever ran it before.
        String marker = "sqlcounts_probe";
        try (var c = java.sql.DriverManager.getConnection(url, user, password);
                var s = c.createStatement()) {
            for (int i = 0; i < 7; i++) {
                s.execute("SELECT 1 AS " + marker);
            }
            // A statement that reads a table touches its buffers; SELECT 1 touches none.
            s.execute("SELECT count(*) AS " + marker + "_reads FROM pg_class");
        }

        SqlCounts.Delta delta = SqlCounts.between(before, SqlCounts.take(url, user, password), 1);

        assertThat(delta.top())
                .filteredOn(q -> q.query().contains(marker) && !q.query().contains(marker + "_reads"))
                .extracting(SqlCounts.Sql::calls, SqlCounts.Sql::buffers)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(7L, 0L));
        assertThat(delta.top())
                .filteredOn(q -> q.query().contains(marker + "_reads"))
                .singleElement()
                .satisfies(q -> assertThat(q.buffers()).isPositive());
        assertThat(delta.top()).noneMatch(q -> q.query().contains("cardrenew-bench"));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Test
    void aDatabaseWithoutTheStatisticsSaysWhyInsteadOfAFigure() {
        var missing = new SqlCounts.Snapshot(false, "pg_stat_statements is not preloaded", 0, List.of());
        var fine = new SqlCounts.Snapshot(true, "", 5, List.of());

        assertThat(SqlCounts.between(missing, fine, 10).line()).isEqualTo("n/a (pg_stat_statements is not preloaded)");
        assertThat(SqlCounts.between(fine, fine, 0).line()).isEqualTo("n/a (nothing completed)");
    }

    @Test
    void aLongStatementIsShownOnOneShortLine() {
        assertThat(BenchMain.shortSql("SELECT  x\n  FROM y")).isEqualTo("SELECT x FROM y");
        assertThat(BenchMain.shortSql("S".repeat(300))).hasSize(110).endsWith("…");
    }
}
