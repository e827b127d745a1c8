package org.cardrenew.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Set;
import javax.sql.DataSource;
import org.cardrenew.server.store.ApplicationRoleGrants;
import org.cardrenew.server.store.AuditCheckpointRepository;
import org.cardrenew.server.store.AuditRepository;
import org.cardrenew.server.testsupport.MutableClock;
import org.cardrenew.server.testsupport.PostgresSchema;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Issue 13 item 6: Flyway migrates as the owner, the server runs as the application role. That role appends to and
 * reads the audit trail, and cannot change it, nor switch off or drop the append-only triggers that would stop the
 * owner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTrailUnderTheApplicationRoleOnPostgresTest {

    private JdbcClient asApplication;
    private AuditLog audit;
    private AuditCheckpoints checkpoints;
    private AuditVerifier verifier;

    @BeforeAll
    void migrateAsOwnerAndRunAsTheApplication() throws Exception {
        PostgresSchema schema = PostgresSchema.fresh();
        DataSource owner =
                new SimpleDriverDataSource(new org.postgresql.Driver(), schema.url(), schema.user(), schema.password());
        Flyway.configure()
                .dataSource(owner)
                .locations("classpath:db/migration")
                .callbacks(new ApplicationRoleGrants(schema.applicationUser()))
                .load()
                .migrate();
        DataSource application = new SimpleDriverDataSource(
                new org.postgresql.Driver(), schema.url(), schema.applicationUser(), schema.applicationPassword());
        asApplication = JdbcClient.create(application);
        MutableClock clock = new MutableClock();
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(application);
        AuditRepository records = new AuditRepository(asApplication);
        AuditCheckpointRepository checkpointRows = new AuditCheckpointRepository(asApplication);
        audit = new AuditLog(records, transactions, clock, new SimpleMeterRegistry());
        AuditKey key = AuditKey.create(Instant.parse("2026-03-01T08:00:00Z"));
        checkpoints = new AuditCheckpoints(checkpointRows, key, clock);
        verifier = new AuditVerifier(records, checkpointRows, transactions, Set.of(key.fingerprint()));
        for (int i = 1; i <= 3; i++) {
            audit.record(AuditEvent.success("serial-" + i, AuditAction.STATUS_SHOWN, new ClientAddress("192.0.2." + i))
                    .code("RENEWABLE")
                    .certificate("0a0b0" + i)
                    .detail("event " + i));
        }
        assertThat(checkpoints.signHead()).isPresent();
    }

    @Test
    void theApplicationRoleAppendsSignsAndVerifies() {
        audit.record(AuditEvent.success("serial-4", AuditAction.STATUS_SHOWN, new ClientAddress("192.0.2.4"))
                .code("RENEWABLE")
                .certificate("0a0b04")
                .detail("event 4"));
        assertThat(checkpoints.signHead()).isPresent();
        AuditVerification result = verifier.verify();
        assertThat(result.ok()).as(result.reason()).isTrue();
        assertThat(result.signedUpTo()).isEqualTo(4);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "UPDATE audit_event SET detail = 'x' WHERE seq = 1",
                "DELETE FROM audit_event WHERE seq = 1",
                "TRUNCATE audit_event",
                "UPDATE audit_checkpoint SET head_hash = 'x'",
                "DELETE FROM audit_checkpoint",
                "TRUNCATE audit_checkpoint",
                "DELETE FROM audit_head",
                "INSERT INTO audit_head (id, last_seq, last_hash) VALUES (2, 0, 'x')",
                "UPDATE flyway_schema_history SET checksum = 0",
                "ALTER TABLE audit_event DISABLE TRIGGER USER",
                "ALTER TABLE audit_checkpoint DISABLE TRIGGER audit_checkpoint_append_only",
                "DROP TRIGGER audit_event_append_only ON audit_event",
                "DROP FUNCTION audit_append_only() CASCADE",
                "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
                "ALTER TABLE audit_event OWNER TO CURRENT_USER",
                "DROP TABLE audit_checkpoint"
            })
    void theApplicationRoleCannotChangeTheTrailNorItsGuards(String sql) {
        assertThatThrownBy(() -> asApplication.sql(sql).update())
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .message()
                .containsAnyOf("permission denied", "must be owner");
        assertThat(asApplication
                        .sql("SELECT COUNT(*) FROM audit_event")
                        .query(Long.class)
                        .single())
                .isGreaterThanOrEqualTo(3);
    }
}
