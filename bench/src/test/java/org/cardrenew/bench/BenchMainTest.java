package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchMainTest {

    @Test
    void theServerReachesPostgresThroughTheSocketWhenThereIsOneAndNamesItsSessions() {
        String url = "jdbc:postgresql://127.0.0.1:5432/cardrenew_bench?currentSchema=bench_1";
        BenchOptions tcp = BenchOptions.parse(new String[] {"--pg-url", url});
        String name = "cardrenew-bench-server-" + ProcessHandle.current().pid();
        assertThat(tcp.serverApplicationName()).isEqualTo(name);
        assertThat(tcp.serverPgUrl()).isEqualTo(url + "&ApplicationName=" + name);
        assertThat(BenchMain.postgresLink(tcp)).startsWith("over TCP (127.0.0.1:5432;");

        BenchOptions socket =
                BenchOptions.parse(new String[] {"--pg-url", url, "--pg-socket", "/run/postgresql/.s.PGSQL.5432"});
        assertThat(socket.serverPgUrl())
                .isEqualTo("jdbc:postgresql://localhost/cardrenew_bench?currentSchema=bench_1&ApplicationName=" + name
                        + "&socketFactory=org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg"
                        + "&socketFactoryArg=/run/postgresql/.s.PGSQL.5432");
        assertThat(BenchMain.postgresLink(socket))
                .startsWith("through the Unix-domain socket /run/postgresql/.s.PGSQL.5432");
        assertThat(BenchOptions.parse(new String[] {"--pg-url", "jdbc:postgresql://db.example/x"})
                        .serverPgUrl())
                .isEqualTo("jdbc:postgresql://db.example/x?ApplicationName=" + name);
    }

    @Test
    void aStatementOfTheSqlListShowsItsTimePerCallAndPerRenewalAndItsBuffersPerCall() {
        // 4,000 calls in 1,000 renewals, 148 ms of execution, 12,000 buffers: 4 per renewal, 37 µs and 3 buffers each,
        // 148 µs per renewal
        assertThat(BenchMain.statementLine(
                        new SqlCounts.Sql(
                                1, "INSERT INTO audit_pending (occurred_at) VALUES ($1)", 4000, 148.0, 12_000),
                        1000))
                .isEqualTo(" 4.00 ×   37 µs =  148 µs    3 buf  INSERT INTO audit_pending (occurred_at) VALUES ($1)");
    }

    @Test
    void theScanTargetIsJudgedOnTheFirstScanOverAMillionPairs() {
        BenchOptions million = BenchOptions.parse(new String[] {});
        assertThat(BenchMain.scanTarget(million, result(1_000_000, 4_200, 1_600), null))
                .isEqualTo("first scan 4.20 s over 1,000,000 pairs (again 1.60 s) → met");
        assertThat(BenchMain.scanTarget(million, result(1_000_000, 5_001, 1_600), null))
                .endsWith("→ NOT met");
        assertThat(BenchMain.scanTarget(
                        BenchOptions.parse(new String[] {"--scan-pairs", "1000"}), result(1_000, 30, 20), null))
                .isEqualTo("first scan 0.03 s over 1,000 pairs → not judged (fewer than 1,000,000 pairs)");
        assertThat(BenchMain.scanTarget(BenchOptions.parse(new String[] {"--scan-pairs", "0"}), null, null))
                .isEqualTo("not measured (--scan-pairs 0)");
        assertThat(BenchMain.scanTarget(million, null, "java.net.ConnectException"))
                .isEqualTo("not measured (the scan phase failed: java.net.ConnectException)");
    }

    @Test
    void theServersScanAnswerIsRead() {
        ReminderScanPhase.Scan scan = ReminderScanPhase.parse("""
                {"created":73583,"cancelled":2,"skipped":1,"outbox":{"PENDING":41446,"SKIPPED":32137},
                 "holdersWithoutEmail":4931,"startedAt":"2026-11-26T01:00:00Z","tookMillis":2712}""", 2.8);
        assertThat(scan)
                .isEqualTo(new ReminderScanPhase.Scan(
                        73583, 2, 1, 2712, 2.8, java.util.Map.of("PENDING", 41446L, "SKIPPED", 32137L)));
    }

    private static ReminderScanPhase.Result result(long pairs, long firstMillis, long againMillis) {
        return new ReminderScanPhase.Result(
                pairs,
                java.time.Instant.parse("2026-11-26T01:00:00Z"),
                java.util.List.of(),
                new ReminderScanPhase.Scan(10, 0, 0, firstMillis, firstMillis / 1000.0, java.util.Map.of()),
                new ReminderScanPhase.Scan(0, 0, 0, againMillis, againMillis / 1000.0, java.util.Map.of()));
    }

    @Test
    void theStatusChecksAreRecordedBesideTheRenewals() {
        assertThat(BenchMain.statusRecording(java.nio.file.Path.of("/tmp/server.jfr")))
                .isEqualTo(java.nio.file.Path.of("/tmp/server.status.jfr"));
        assertThat(BenchMain.statusRecording(java.nio.file.Path.of("run")))
                .isEqualTo(java.nio.file.Path.of("run.status.jfr"));
        assertThat(BenchMain.statusFile(java.nio.file.Path.of("/tmp/server.collapsed"), "collapsed"))
                .isEqualTo(java.nio.file.Path.of("/tmp/server.status.collapsed"));
    }
}
