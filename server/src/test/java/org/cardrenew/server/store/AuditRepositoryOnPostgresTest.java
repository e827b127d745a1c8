package org.cardrenew.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
                boolean full = i % 2 == 0;
                records.insertPending(new AuditPending(
                        0,
                        NOW,
                        "0a0b0c",
                        "STATUS_SHOWN",
                        "SUCCESS",
                        full ? "RENEWABLE" : null,
                        full ? "0a0b0c" : null,
                        full ? "3f1c2d4e-0000-4000-8000-00000000000a" : null,
                        full ? "detail" : null,
                        "127.0.0.1"));
            }

            // The driver sends its first five uses unprepared, then prepares the statement on the server; every later
            // insert runs that one prepared form: a null in place of a text does not make the driver parse (and
            // PostgreSQL plan) the statement again as another one (docs/BENCHMARKS.md, session 9).
            assertThat(jdbc.sql(
                                    "SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement LIKE ?")
                            .param("%INSERT INTO audit_pending%")
                            .query(Long.class)
                            .list())
                    .containsExactly((long) inserts - 5);
        } finally {
            connection.destroy();
        }
    }
}
