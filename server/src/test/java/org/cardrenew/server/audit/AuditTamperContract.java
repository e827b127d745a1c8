package org.cardrenew.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.cardrenew.server.store.AuditCheckpointRepository;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.store.AuditRepository;
import org.cardrenew.server.testsupport.MutableClock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Tampering with the audit trail directly in the database, as its owner could: each change is detected and the
 * first bad record named. Run on H2 and PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuditTamperContract {

    private static final Instant START = Instant.parse("2026-03-01T08:00:00.123456Z");
    private static final Duration MAX_UNSIGNED_AGE = Duration.ofHours(1);

    protected JdbcClient jdbc;
    private MutableClock clock;
    private AuditLog audit;
    private AuditChainer chainer;
    private AuditCheckpoints checkpoints;
    private AuditVerifier verifier;
    private AuditRepository records;
    private AuditCheckpointRepository checkpointRows;
    private DataSourceTransactionManager transactions;

    protected abstract DataSource dataSource();

    /** Runs a tampering statement as the database owner (bypassing any append-only guard). */
    protected abstract void tamper(String... statements);

    @BeforeAll
    void migrate() throws Exception {
        DataSource dataSource = dataSource();
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        jdbc = JdbcClient.create(dataSource);
        clock = new MutableClock();
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        records = new AuditRepository(jdbc);
        AuditCheckpointRepository checkpointRows = new AuditCheckpointRepository(jdbc);
        chainer = new AuditChainer(records, transactions, clock, new SimpleMeterRegistry(), false);
        audit = new AuditLog(records, chainer, transactions, clock, new SimpleMeterRegistry());
        AuditKey key = AuditKey.create(START);
        checkpoints = new AuditCheckpoints(checkpointRows, key, clock);
        verifier = new AuditVerifier(
                records,
                checkpointRows,
                transactions,
                new CheckpointPolicy(Set.of(key.fingerprint()), true, 0, MAX_UNSIGNED_AGE, clock, null));
        this.checkpointRows = checkpointRows;
        this.transactions = transactions;
    }

    /** Six records, signed after the fourth and after the sixth. */
    @BeforeEach
    void sixRecordsWithTwoCheckpoints() {
        tamper(
                "DELETE FROM audit_checkpoint",
                "DELETE FROM audit_event",
                "DELETE FROM audit_pending",
                "UPDATE audit_head SET last_seq = 0, last_hash = '" + AuditChain.GENESIS + "' WHERE id = 1");
        clock.set(START);
        for (int i = 1; i <= 6; i++) {
            recordChained(AuditEvent.success("serial-" + i, AuditAction.STATUS_SHOWN, new ClientAddress("192.0.2." + i))
                    .code("RENEWABLE")
                    .certificate("0a0b0" + i)
                    .detail("event " + i));
            clock.advance(Duration.ofSeconds(1));
            if (i == 4 || i == 6) {
                assertThat(checkpoints.signHead()).isPresent();
            }
        }
    }

    @Test
    void anUntouchedTrailVerifiesUpToTheLastCheckpoint() {
        AuditVerification result = verifier.verify();
        assertThat(result.ok()).as(result.reason()).isTrue();
        assertThat(result.records()).isEqualTo(6);
        assertThat(result.checkpoints()).isEqualTo(2);
        assertThat(result.signedUpTo()).isEqualTo(6);
    }

    @Test
    void signingAnAlreadySignedHeadAddsNothing() {
        assertThat(checkpoints.signHead()).isEmpty();
    }

    @Test
    void anAlteredDetailIsNamed() {
        tamper("UPDATE audit_event SET detail = 'nothing happened' WHERE seq = 3");
        expectFirstBad(3, "does not match its hash");
    }

    @Test
    void anAlteredTimeIsNamed() {
        tamper("UPDATE audit_event SET occurred_at = occurred_at + INTERVAL '1' HOUR WHERE seq = 2");
        expectFirstBad(2, "does not match its hash");
    }

    @Test
    void anAlteredOutcomeIsNamed() {
        tamper("UPDATE audit_event SET outcome = 'REFUSED' WHERE seq = 5");
        expectFirstBad(5, "does not match its hash");
    }

    @Test
    void aDeletedRecordIsNamed() {
        tamper("DELETE FROM audit_event WHERE seq = 3");
        expectFirstBad(3, "record 3 is missing");
    }

    @Test
    void swappedRecordsAreNamed() {
        tamper(
                "UPDATE audit_event SET seq = -3 WHERE seq = 3",
                "UPDATE audit_event SET seq = 3 WHERE seq = 4",
                "UPDATE audit_event SET seq = 4 WHERE seq = -3");
        expectFirstBad(3, "does not match its hash");
    }

    @Test
    void aDeletedTailIsNamedThroughTheHead() {
        tamper("DELETE FROM audit_event WHERE seq >= 5");
        expectFirstBad(5, "missing");
    }

    @Test
    void aTruncatedTailWithAMovedHeadIsNamedThroughTheCheckpoint() {
        AuditRecord fourth = records.all().get(3);
        tamper(
                "DELETE FROM audit_event WHERE seq >= 5",
                "UPDATE audit_head SET last_seq = 4, last_hash = '" + fourth.hash() + "' WHERE id = 1");
        expectFirstBad(5, "missing");
    }

    @Test
    void aRewrittenAndRehashedChainIsCaughtByTheSignedCheckpoint() {
        // An attacker edits record 5 and recomputes every hash from there on, head included.
        List<AuditRecord> all = records.all();
        AuditRecord fifth = all.get(4);
        AuditRecord forged5 = rehash(fifth, "nothing happened", fifth.prevHash());
        AuditRecord forged6 = rehash(all.get(5), all.get(5).detail(), forged5.hash());
        tamper(
                "UPDATE audit_event SET detail = 'nothing happened', hash = '" + forged5.hash() + "' WHERE seq = 5",
                "UPDATE audit_event SET prev_hash = '" + forged5.hash() + "', hash = '" + forged6.hash()
                        + "' WHERE seq = 6",
                "UPDATE audit_head SET last_hash = '" + forged6.hash() + "' WHERE id = 1");
        expectFirstBad(6, "rewritten after the checkpoint");
    }

    @Test
    void aRehashedRecordIsNamedByTheNextRecordsLink() {
        AuditRecord third = records.all().get(2);
        AuditRecord forged = rehash(third, "nothing happened", third.prevHash());
        tamper("UPDATE audit_event SET detail = 'nothing happened', hash = '" + forged.hash() + "' WHERE seq = 3");
        expectFirstBad(3, "record 3 was rewritten");
    }

    @Test
    void aForgedCheckpointIsNamed() {
        tamper("UPDATE audit_checkpoint SET head_hash = '" + AuditChain.GENESIS + "' WHERE seq = 4");
        expectFirstBad(4, "signature does not verify");
    }

    @Test
    void aDeletedCheckpointIsNamedByTheNextOne() {
        tamper("DELETE FROM audit_checkpoint WHERE seq = 4");
        expectFirstBad(4, "the checkpoint at record 4 was deleted");
    }

    @Test
    void aTailNotCoveredByACheckpointWithinTheBoundIsReported() {
        recordChained(AuditEvent.success("serial-7", AuditAction.STATUS_SHOWN, new ClientAddress("192.0.2.7"))
                .code("RENEWABLE")
                .certificate("0a0b07")
                .detail("event 7"));
        assertThat(verifier.verify().ok()).as("within the bound").isTrue();
        clock.advance(MAX_UNSIGNED_AGE.plusSeconds(1));
        expectFirstBad(7, "not covered by a signed checkpoint");
        assertThat(checkpoints.signHead()).isPresent();
        assertThat(verifier.verify().ok()).as("signed again").isTrue();
    }

    @Test
    void aRecordWaitingToBeChainedIsCountedAndIntactWithinTheBound() {
        audit.record(AuditEvent.success("serial-7", AuditAction.STATUS_SHOWN, new ClientAddress("192.0.2.7"))
                .code("RENEWABLE")
                .certificate("0a0b07")
                .detail("event 7"));
        AuditVerification result = verifier.verify();
        assertThat(result.ok()).as(result.reason()).isTrue();
        assertThat(result.records()).isEqualTo(6);
        assertThat(result.pending()).isEqualTo(1);
    }

    @Test
    void aRecordLeftUnchainedPastTheBoundIsReported() {
        // no chainer ran (or every attempt failed): the record is durable but neither chained nor signed
        audit.record(AuditEvent.success("serial-7", AuditAction.STATUS_SHOWN, new ClientAddress("192.0.2.7"))
                .code("RENEWABLE")
                .certificate("0a0b07")
                .detail("event 7"));
        clock.advance(MAX_UNSIGNED_AGE.plusSeconds(1));
        expectFirstBad(7, "1 records wait to be chained");
        chainer.chainPending();
        assertThat(checkpoints.signHead()).isPresent();
        AuditVerification result = verifier.verify();
        assertThat(result.ok()).as(result.reason()).isTrue();
        assertThat(result.pending()).isZero();
        assertThat(result.signedUpTo()).isEqualTo(7);
    }

    @Test
    void deletingTheNewestCheckpointsLeavesAnUncoveredTailThatIsReported() {
        tamper("DELETE FROM audit_checkpoint WHERE seq = 6");
        clock.advance(MAX_UNSIGNED_AGE.plusSeconds(1));
        expectFirstBad(5, "not covered by a signed checkpoint");
    }

    @Test
    void aBoundInRecordsReportsTheFirstUncoveredRecord() {
        AuditVerifier twoRecords = new AuditVerifier(
                records,
                checkpointRows,
                transactions,
                new CheckpointPolicy(Set.of(verifiedKey()), true, 2, null, clock, null));
        tamper("DELETE FROM audit_checkpoint WHERE seq = 6");
        assertThat(twoRecords.verify().ok())
                .as("two records after the checkpoint at 4")
                .isTrue();
        recordChained(AuditEvent.success("serial-7", AuditAction.STATUS_SHOWN, new ClientAddress("192.0.2.7"))
                .code("RENEWABLE")
                .certificate("0a0b07")
                .detail("event 7"));
        AuditVerification result = twoRecords.verify();
        assertThat(result.ok()).isFalse();
        assertThat(result.firstBadSeq()).isEqualTo(5);
        assertThat(result.reason()).contains("records 5 to 7 (3) are not covered");
    }

    @Test
    void aBoundInRecordsCountsTheRecordsWaitingToBeChained() {
        AuditVerifier twoRecords = new AuditVerifier(
                records,
                checkpointRows,
                transactions,
                new CheckpointPolicy(Set.of(verifiedKey()), true, 2, null, clock, null));
        tamper("DELETE FROM audit_checkpoint WHERE seq = 6");
        audit.record(AuditEvent.success("serial-7", AuditAction.STATUS_SHOWN, new ClientAddress("192.0.2.7"))
                .code("RENEWABLE")
                .certificate("0a0b07")
                .detail("event 7"));
        AuditVerification result = twoRecords.verify();
        assertThat(result.ok()).isFalse();
        assertThat(result.firstBadSeq()).isEqualTo(5);
        assertThat(result.reason()).contains("records 5 to 7 (3, of which 1 wait to be chained) are not covered");
    }

    @Test
    void checkpointsSignedByAKeyThatIsNotPinnedAreNotTrusted() throws Exception {
        // An insider with the data directory swaps in a key of their own and signs the head with it.
        AuditKey insiders = AuditKey.create(START);
        recordChained(AuditEvent.success("serial-7", AuditAction.STATUS_SHOWN, new ClientAddress("192.0.2.7"))
                .code("RENEWABLE")
                .certificate("0a0b07")
                .detail("event 7"));
        assertThat(new AuditCheckpoints(checkpointRows, insiders, clock).signHead())
                .isPresent();
        expectFirstBad(7, "not trusted (" + insiders.fingerprint() + ")");
    }

    private String verifiedKey() {
        return checkpointRows.latest().orElseThrow().keyFingerprint();
    }

    private static AuditRecord rehash(AuditRecord r, String detail, String prevHash) {
        AuditRecord changed = new AuditRecord(
                r.seq(),
                r.occurredAt(),
                r.actor(),
                r.action(),
                r.outcome(),
                r.code(),
                r.certificateSerial(),
                r.renewalId(),
                detail,
                r.clientAddress(),
                prevHash,
                null);
        return new AuditRecord(
                r.seq(),
                r.occurredAt(),
                r.actor(),
                r.action(),
                r.outcome(),
                r.code(),
                r.certificateSerial(),
                r.renewalId(),
                detail,
                r.clientAddress(),
                prevHash,
                AuditChain.hashOf(changed));
    }

    private void expectFirstBad(long seq, String reason) {
        AuditVerification result = verifier.verify();
        assertThat(result.ok()).isFalse();
        assertThat(result.firstBadSeq()).as(result.reason()).isEqualTo(seq);
        assertThat(result.reason()).contains(reason);
    }

    /** Records the event and links it into the chain at once, as the server's chainer does a moment later. */
    private void recordChained(AuditEvent event) {
        audit.record(event);
        chainer.chainPending();
    }
}
