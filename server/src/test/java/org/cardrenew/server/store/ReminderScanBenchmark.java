package org.cardrenew.server.store;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.cardrenew.server.notify.ReminderCalendar;
import org.cardrenew.server.notify.ReminderMetrics;
import org.cardrenew.server.notify.ReminderProperties;
import org.cardrenew.server.notify.ReminderScan;
import org.cardrenew.server.testsupport.PostgresSchema;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Benchmark, not a test (no assertions on time; not matched by surefire's default includes): the reminder scan over
 * N card pairs (default 1,000,000) in PostgreSQL, seeded with generate_series. Run by hand:
 *
 * <pre>./mvnw -B -ntp -pl server test -Dtest=ReminderScanBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     [-Dcardrenew.bench.pairs=1000000]</pre>
 *
 * Prints the timings and the EXPLAIN ANALYZE plan, and writes them to server/target/reminder-scan-benchmark.txt.
 * Figures are in docs/REMINDERS.md.
 */
@Tag("benchmark")
class ReminderScanBenchmark {

    /** Certificates expire spread over two years from here, one second apart within the day. */
    private static final Instant FIRST_EXPIRY = Instant.parse("2026-01-01T00:00:00Z");
    /** The scan runs one year in: about 1/730 of the pairs expire on each following day. */
    private static final Instant NOW = Instant.parse("2027-01-01T03:00:00Z");

    private final List<String> report = new ArrayList<>();

    @Test
    void scanOverAMillionPairs() throws IOException {
        long pairs = Long.getLong("cardrenew.bench.pairs", 1_000_000L);
        PostgresSchema schema = PostgresSchema.fresh();
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(schema.url());
            dataSource.setUsername(schema.user());
            dataSource.setPassword(schema.password());
            dataSource.setMaximumPoolSize(2);
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            JdbcClient jdbc = JdbcClient.create(dataSource);
            line("PostgreSQL "
                    + jdbc.sql("SHOW server_version").query(String.class).single() + ", " + pairs + " card pairs ("
                    + 2 * pairs + " certificates), schema " + schema.schema());

            time("seed holders", () -> jdbc.sql("""
                    INSERT INTO holder (holder_id, name, organization, email, language, created_at, updated_at)
                    SELECT 'B' || g, 'Holder ' || g, 'Agency ' || (g % 100),
                           CASE WHEN g % 50 = 0 THEN NULL ELSE 'h' || g || '@example.gov.tw' END,
                           CASE WHEN g % 2 = 0 THEN 'zh-TW' ELSE 'en' END, now(), now()
                    FROM generate_series(1, :n) g""").param("n", pairs).update());
            // every 100th pair was renewed: SUPERSEDED with a COMPLETED renewal
            time("seed pairs", () -> jdbc.sql("""
                    INSERT INTO card_pair (id, holder_id, status, created_at)
                    SELECT g, 'B' || g, CASE WHEN g % 100 = 0 THEN 'SUPERSEDED' ELSE 'ACTIVE' END, now()
                    FROM generate_series(1, :n) g""").param("n", pairs).update());
            time(
                    "seed certificates",
                    () -> jdbc.sql("""
                    INSERT INTO certificate (id, pair_id, kind, serial, subject_dn, not_before, not_after, spki_sha256, der)
                    SELECT g * 2 - k, g, CASE WHEN k = 1 THEN 'SIGNING' ELSE 'ENCRYPTION' END,
                           md5('serial' || g || '/' || k), 'C=TW,O=Agency,CN=Holder ' || g || ',SERIALNUMBER=B' || g,
                           :first - INTERVAL '730 days', :first + (g % 730) * INTERVAL '1 day' + (g % 86400) * INTERVAL '1 second',
                           md5('key' || g || '/' || k) || md5('spki' || g || '/' || k), '\\x3000'::bytea
                    FROM generate_series(1, :n) g CROSS JOIN (VALUES (1), (0)) AS kinds(k)""")
                            .param("n", pairs)
                            .param("first", Timestamps.of(FIRST_EXPIRY))
                            .update());
            time("seed renewals", () -> jdbc.sql("""
                    INSERT INTO renewal (id, old_pair_id, state, signing_key_sha256, encryption_key_sha256, signing_key,
                                         encryption_key, requested_at, issued_at, completed_at)
                    SELECT md5('renewal' || g)::uuid::text, g, 'COMPLETED', md5('s' || g) || md5('t' || g),
                           md5('e' || g) || md5('f' || g), '\\x30'::bytea, '\\x30'::bytea, now(), now(), now()
                    FROM generate_series(100, :n, 100) g""").param("n", pairs).update());
            time("ANALYZE", () -> jdbc.sql("ANALYZE").update());

            ReminderRepository repository = new ReminderRepository(jdbc);
            ReminderProperties properties = ReminderProperties.defaults();
            ReminderCalendar calendar = new ReminderCalendar(properties.zone(), properties.offsets());
            TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            explain(repository, calendar, transaction, NOW, "the first scan, empty outbox never analyzed");

            ReminderMetrics metrics = new ReminderMetrics(new SimpleMeterRegistry());
            ReminderScan first = new ReminderScan(repository, properties, metrics, Clock.fixed(NOW, ZoneOffset.UTC));
            time("full scan, first run (creates every due reminder)", first::scan);
            time("full scan, again (nothing new: the steady state)", first::scan);
            Instant tomorrow = NOW.plus(Duration.ofDays(1));
            ReminderScan nextDay =
                    new ReminderScan(repository, properties, metrics, Clock.fixed(tomorrow, ZoneOffset.UTC));
            time(
                    "ANALYZE reminder (autovacuum would)",
                    () -> jdbc.sql("ANALYZE reminder").update());
            explain(
                    repository,
                    calendar,
                    transaction,
                    tomorrow,
                    "the next day, with the outbox populated and analyzed");
            time("full scan, the next day", nextDay::scan);
            time(
                    "  of which: the INSERT ... SELECT alone (again)",
                    () -> repository.insertDue(calendar.deadlines(tomorrow), tomorrow));
            time("  of which: cancel renewed/revoked/expired", () -> repository.cancelNoLongerCurrent(tomorrow));
            time("  of which: skip overtaken", () -> repository.skipOvertaken(tomorrow));
            time("  of which: count holders without e-mail", () -> repository.countHoldersWithoutEmail(tomorrow));
            line("outbox: " + repository.countByState());
        }
        Path out = Path.of("target/reminder-scan-benchmark.txt");
        Files.write(out, report);
        System.out.println(String.join("\n", report));
    }

    private void explain(
            ReminderRepository repository,
            ReminderCalendar calendar,
            TransactionTemplate transaction,
            Instant at,
            String when) {
        line("");
        line("EXPLAIN (ANALYZE, BUFFERS) of the scan statement at " + at + ", " + when + " (rolled back):");
        transaction.executeWithoutResult(status -> {
            repository
                    .insertDueStatement("EXPLAIN (ANALYZE, BUFFERS) ", calendar.deadlines(at), at)
                    .query(String.class)
                    .list()
                    .forEach(this::line);
            status.setRollbackOnly();
        });
        line("");
    }

    private void time(String what, Supplier<?> work) {
        long start = System.nanoTime();
        Object result = work.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        line(String.format("%-55s %7d ms   %s", what, millis, result));
    }

    private void line(String text) {
        report.add(text);
    }
}
