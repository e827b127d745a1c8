package org.cardrenew.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cardrenew.server.testsupport.PostgresSchema;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** How the audit records' statements reach PostgreSQL (issue 14): each runs its one prepared form on a connection. */
class AuditRepositoryOnPostgresTest {

    private static final Instant NOW = Instant.parse("2026-12-06T16:00:00Z");

    @Test
    void recordsWithAndWithoutOptionalFieldsRunOnePreparedStatement() {
        PostgresSchema schema = PostgresSchema.fresh();
        SingleConnectionDataSource connection =
                new SingleConnectionDataSource(schema.url(), schema.user(), schema.password(), true);
        try {
            Flyway.configure()
                    .dataSource(connection)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            JdbcClient jdbc = JdbcClient.create(connection);
            AuditRepository records = new AuditRepository(jdbc);
            int inserts = 24;
            for (int i = 0; i < inserts; i++) {
                records.insertPending(pending(i));
            }
            int batches = 12;
            for (int b = 0; b < batches; b++) {
                List<AuditRecord> chained = new ArrayList<>();
                List<Long> pendingIds = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int n = b * 8 + i;
                    chained.add(pending(n).at(n + 1, "prev", "hash-" + n));
                    pendingIds.add(1_000_000L + n);
                }
                records.insertAll(chained, pendingIds);
            }

            // The driver sends its first uses unprepared, then prepares the statement on the server; every later
            // insert runs that one prepared form. Untyped nulls made it parse (and PostgreSQL plan) the statement again
            // whenever the nulls moved (docs/BENCHMARKS.md, session 11): the optional texts are typed even when null.
            assertThat(preparedRuns(jdbc, "INSERT INTO audit_pending")).containsExactly((long) inserts - 4);
            assertThat(preparedRuns(jdbc, "INSERT INTO audit_event")).containsExactly((long) batches - 4);
        } finally {
            connection.destroy();
        }
    }

    /** The n-th record: each optional field null in its own rhythm, as the records of different decisions are. */
    private static AuditPending pending(int n) {
        return new AuditPending(
                0,
                NOW,
                "0a0b0c",
                "STATUS_SHOWN",
                "SUCCESS",
                n % 2 == 0 ? "RENEWABLE" : null,
                n % 3 == 0 ? "0a0b0c" : null,
                n % 5 < 2 ? "3f1c2d4e-0000-4000-8000-00000000000a" : null,
                n % 4 == 1 ? "detail" : null,
                n % 7 == 3 ? null : "127.0.0.1");
    }

    /** How often each server-side prepared form of the statement ran on this connection. */
    private static List<Long> preparedRuns(JdbcClient jdbc, String statement) {
        return jdbc.sql("SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement LIKE ?")
                .param("%" + statement + "%")
                .query(Long.class)
                .list();
    }
}
