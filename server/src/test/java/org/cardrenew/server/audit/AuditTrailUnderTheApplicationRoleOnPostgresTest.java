package org.cardrenew.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 13 item 6: Flyway migrates as the owner, the server runs as the application role. That role appends to and
 * reads the audit trail, and cannot change it, nor switch off or drop the append-only triggers that would stop the
 * owner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTrailUnderTheApplicationRoleOnPostgresTest {

    private JdbcClient asApplication;
    private AuditLog audit;
    private AuditChainer chainer;
    private DataSourceTransactionManager transactions;
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
        transactions = new DataSourceTransactionManager(application);
        AuditRepository records = new AuditRepository(asApplication);
        AuditCheckpointRepository checkpointRows = new AuditCheckpointRepository(asApplication);
        chainer = new AuditChainer(records, transactions, clock, new SimpleMeterRegistry(), false);
        audit = new AuditLog(records, chainer, transactions, clock, new SimpleMeterRegistry());
        AuditKey key = AuditKey.create(Instant.parse("2026-03-01T08:00:00Z"));
        checkpoints = new AuditCheckpoints(checkpointRows, key, clock);
        verifier = new AuditVerifier(records, checkpointRows, transactions, Set.of(key.fingerprint()));
        for (int i = 1; i <= 3; i++) {
            recordChained(AuditEvent.success("serial-" + i, AuditAction.STATUS_SHOWN, new ClientAddress("192.0.2." + i))
                    .code("RENEWABLE")
                    .certificate("0a0b0" + i)
                    .detail("event " + i));
        }
        assertThat(checkpoints.signHead()).isPresent();
    }

    @Test
    void theApplicationRoleAppendsSignsAndVerifies() {
        recordChained(AuditEvent.success("serial-4", AuditAction.STATUS_SHOWN, new ClientAddress("192.0.2.4"))
                .code("RENEWABLE")
                .certificate("0a0b04")
                .detail("event 4"));
        assertThat(checkpoints.signHead()).isPresent();
        AuditVerification result = verifier.verify();
        assertThat(result.ok()).as(result.reason()).isTrue();
        assertThat(result.signedUpTo()).as("up to the newest record").isEqualTo(result.records());
        assertThat(result.pending()).isZero();
    }

    @Test
    void theApplicationRoleCannotDropAPendingRecordNorChainAnotherInItsPlace() {
        audit.record(
                AuditEvent.refused("serial-9", AuditAction.STATUS_REFUSED, "REVOKED", new ClientAddress("192.0.2.9"))
                        .certificate("0a0b09")
                        .detail("to be hidden"));
        long id = asApplication
                .sql("SELECT id FROM audit_pending WHERE detail = 'to be hidden'")
                .query(Long.class)
                .single();

        assertRefusedAsUnchained(() -> asApplication
                .sql("DELETE FROM audit_pending WHERE id = ?")
                .param(id)
                .update());

        // A chained copy that says something else does not count either (and rolls back with the refused delete).
        TransactionTemplate forging = new TransactionTemplate(transactions);
        assertRefusedAsUnchained(() -> forging.executeWithoutResult(s -> {
            chainedCopy(id, 1_000_000, "forged", "'SUCCESS'");
            asApplication
                    .sql("DELETE FROM audit_pending WHERE id = ?")
                    .param(id)
                    .update();
        }));
        assertThat(asApplication
                        .sql("SELECT COUNT(*) FROM audit_event WHERE hash = 'forged'")
                        .query(Long.class)
                        .single())
                .isZero();

        // The chainer links it with its content, and then it may go.
        chainer.chainPending();
        assertThat(asApplication
                        .sql("SELECT COUNT(*) FROM audit_pending")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(asApplication
                        .sql("SELECT outcome FROM audit_event WHERE pending_id = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .isEqualTo("REFUSED");
        AuditVerification result = verifier.verify();
        assertThat(result.ok()).as(result.reason()).isTrue();
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
                "DROP TABLE audit_checkpoint",
                "UPDATE audit_pending SET detail = 'x'",
                "TRUNCATE audit_pending",
                "ALTER TABLE audit_pending DISABLE TRIGGER audit_pending_deleted_only_when_chained",
                "DROP TRIGGER audit_pending_deleted_only_when_chained ON audit_pending",
                "DROP FUNCTION audit_pending_deleted_only_when_chained() CASCADE"
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

    @Test
    void oneUnchainedRecordAmongChainedOnesFailsTheWholeDelete() {
        // The guard checks a chaining batch's DELETE as a whole (V16): one record without its chained copy and nothing
        // goes, not even the records that were chained.
        for (int i = 0; i < 3; i++) {
            audit.record(AuditEvent.refused(
                            "serial-" + i, AuditAction.STATUS_REFUSED, "REVOKED", new ClientAddress("192.0.2.10"))
                    .detail("batch " + i));
        }
        List<Long> ids = asApplication
                .sql("SELECT id FROM audit_pending WHERE detail LIKE 'batch %' ORDER BY id")
                .query(Long.class)
                .list();
        assertThat(ids).hasSize(3);
        TransactionTemplate chaining = new TransactionTemplate(transactions);
        assertRefusedAsUnchained(() -> chaining.executeWithoutResult(s -> {
            // the first two chained with their content, as the chainer does; the third not
            for (int i = 0; i < 2; i++) {
                chainedCopy(ids.get(i), 2_000_000 + i, "copy-" + i, "outcome");
            }
            asApplication
                    .sql("DELETE FROM audit_pending WHERE id IN (?, ?, ?)")
                    .params(ids.get(0), ids.get(1), ids.get(2))
                    .update();
        }));
        assertThat(asApplication
                        .sql("SELECT COUNT(*) FROM audit_pending WHERE detail LIKE 'batch %'")
                        .query(Long.class)
                        .single())
                .isEqualTo(3);

        chainer.chainPending();
        assertThat(asApplication
                        .sql("SELECT COUNT(*) FROM audit_pending WHERE detail LIKE 'batch %'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    /** The database refuses the DELETE the call makes: a pending record goes only once chained with its content. */
    private static void assertRefusedAsUnchained(ThrowingCallable deleting) {
        assertThatThrownBy(deleting)
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .message()
                .contains("deleted only once it is chained");
    }

    /**
     * Writes, as the server's role, a chained copy of a pending record with this sequence number and hash and the
     * outcome {@code outcomeSql} says (its column {@code outcome}: the same; a literal: another).
     */
    private void chainedCopy(long pendingId, long seq, String hash, String outcomeSql) {
        asApplication
                .sql("""
                        INSERT INTO audit_event (seq, occurred_at, actor, action, outcome, code, certificate_serial,
                            renewal_id, detail, client_address, prev_hash, hash, pending_id)
                        SELECT ?, occurred_at, actor, action, %s, code, certificate_serial, renewal_id, detail,
                            client_address, 'x', ?, id
                        FROM audit_pending WHERE id = ?""".formatted(outcomeSql))
                .params(seq, hash, pendingId)
                .update();
    }

    /** Records the event and links it into the chain at once, as the server's chainer does a moment later. */
    private void recordChained(AuditEvent event) {
        audit.record(event);
        chainer.chainPending();
    }
}
