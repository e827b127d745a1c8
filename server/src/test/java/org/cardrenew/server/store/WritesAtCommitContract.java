package org.cardrenew.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditChainer;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.testsupport.MutableClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transaction's audit records, and the writes whose outcome nothing reads, go with its COMMIT
 * ({@link WritesAtCommit}, {@link PipelinedTransactionManager}): committed with the transaction's other writes, or not
 * at all. Run on H2 and on PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WritesAtCommitContract {

    private static final Instant NOW = Instant.parse("2026-12-07T05:00:00.123456Z");
    private static final WritesAtCommit.OneRowInsert HOLDER = new WritesAtCommit.OneRowInsert(
            "INSERT INTO holder (holder_id, name, organization, email, language, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)");
    private static final WritesAtCommit.UncheckedUpdate RENAME =
            new WritesAtCommit.UncheckedUpdate("UPDATE holder SET name = ? WHERE holder_id = ?");

    private static final WritesAtCommit.GuardedWrite RENAME_IF = new WritesAtCommit.GuardedWrite(
            "UPDATE holder SET name = CASE WHEN name = ? THEN ? END WHERE holder_id = ?");

    private DataSource source;
    protected JdbcClient jdbc;
    protected PipelinedTransactionManager transactions;
    private HolderRepository holders;
    private AuditLog audit;

    protected abstract DataSource dataSource();

    @BeforeAll
    void migrate() {
        DataSource dataSource = StoreContractTest.migrated(dataSource());
        source = dataSource;
        jdbc = JdbcClient.create(dataSource);
        holders = new HolderRepository(jdbc);
        transactions = new PipelinedTransactionManager(dataSource);
        AuditRepository records = new AuditRepository(jdbc);
        MutableClock clock = new MutableClock();
        AuditChainer chainer = new AuditChainer(records, transactions, clock, new SimpleMeterRegistry(), false);
        audit = new AuditLog(records, chainer, transactions, clock, new SimpleMeterRegistry());
    }

    @Test
    void aRecordIsCommittedWithTheWritesOfItsTransaction() {
        String actor = actor();
        HolderId holder = new HolderId("H" + actor);

        new TransactionTemplate(transactions).executeWithoutResult(status -> enrolledWithItsRecord(holder, actor));

        assertThat(recordsOf(actor)).isEqualTo(1);
        assertThat(holders.find(holder)).isPresent();
    }

    @Test
    void aTransactionThatRollsBackWritesNoneOfItsRecords() {
        String actor = actor();
        HolderId holder = new HolderId("H" + actor);

        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            enrolledWithItsRecord(holder, actor);
            audit.recordInCurrentTransaction(AuditEvent.success(actor, AuditAction.STATUS_SHOWN, null));
            status.setRollbackOnly();
        });

        assertThat(recordsOf(actor)).isZero();
        assertThat(holders.find(holder)).isEmpty();
    }

    @Test
    void anInsertThatFailsAtTheCommitRollsTheWholeTransactionBack() {
        // The same holder id again: the primary key refuses it, at the commit.
        aWriteThatFailsAtTheCommitRollsTheWholeTransactionBack(holder -> HOLDER.with(
                Arrays.asList(holder.value(), "林志明", "內政部", null, "zh-TW", Timestamps.of(NOW), Timestamps.of(NOW))));
    }

    @Test
    void anUpdateWhoseCountNobodyReadsGoesWithTheCommit() {
        String actor = actor();
        HolderId holder = new HolderId("H" + actor);

        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            enrolledWithItsRecord(holder, actor);
            WritesAtCommit.write(RENAME.with(Arrays.asList("陳美玲", holder.value())), jdbc);
            assertThat(holders.find(holder).orElseThrow().name())
                    .as("queued until the commit")
                    .isEqualTo("王小明");
        });

        assertThat(holders.find(holder).orElseThrow().name()).isEqualTo("陳美玲");
        assertThat(recordsOf(actor)).isEqualTo(1);
    }

    @Test
    void anUpdateThatMatchesNoRowCommitsTheRestOfItsTransaction() {
        String actor = actor();
        HolderId holder = new HolderId("H" + actor);

        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            enrolledWithItsRecord(holder, actor);
            WritesAtCommit.write(RENAME.with(Arrays.asList("陳美玲", "no such holder " + actor)), jdbc);
        });

        assertThat(holders.find(holder).orElseThrow().name()).isEqualTo("王小明");
        assertThat(recordsOf(actor)).isEqualTo(1);
    }

    @Test
    void anUpdateThatFailsAtTheCommitRollsTheWholeTransactionBack() {
        // The name is NOT NULL: refused at the commit.
        aWriteThatFailsAtTheCommitRollsTheWholeTransactionBack(
                holder -> RENAME.with(Arrays.asList(new SqlParameterValue(Types.VARCHAR, null), holder.value())));
    }

    @Test
    void aGuardedWriteWhoseConditionHoldsCommitsWithTheRest() {
        HolderId holder = enrolled();

        String renamed = actor();
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            WritesAtCommit.write(RENAME_IF.with(List.of("王小明", "陳美玲", holder.value())), jdbc);
            audit.recordInCurrentTransaction(AuditEvent.success(renamed, AuditAction.STATUS_SHOWN, null));
        });

        assertThat(holders.find(holder).orElseThrow().name()).isEqualTo("陳美玲");
        assertThat(recordsOf(renamed)).isEqualTo(1);
    }

    @Test
    void aGuardedWriteWhoseConditionFailsTakesTheWholeTransactionBack() {
        HolderId holder = enrolled();
        HolderId other = new HolderId("H" + actor());

        String refused = actor();
        assertThatThrownBy(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
                    holders.save(new Holder(other, "林志明", "內政部", null, "zh-TW"), NOW);
                    WritesAtCommit.write(RENAME_IF.with(List.of("someone else", "陳美玲", holder.value())), jdbc);
                    audit.recordInCurrentTransaction(AuditEvent.success(refused, AuditAction.STATUS_SHOWN, null));
                }))
                .isInstanceOf(DataIntegrityViolationException.class)
                .matches(WritesAtCommit.GuardedWrite::refused, "the guard");

        assertThat(holders.find(holder).orElseThrow().name()).isEqualTo("王小明");
        assertThat(holders.find(other)).as("written before the guarded write").isEmpty();
        assertThat(recordsOf(refused)).as("queued after it").isZero();
    }

    @Test
    void anotherFailureAtTheCommitIsNotAGuardsRefusal() {
        HolderId holder = enrolled();

        assertThatThrownBy(() -> new TransactionTemplate(transactions)
                        .executeWithoutResult(status -> WritesAtCommit.write(
                                HOLDER.with(Arrays.asList(
                                        holder.value(),
                                        "林志明",
                                        "內政部",
                                        null,
                                        "zh-TW",
                                        Timestamps.of(NOW),
                                        Timestamps.of(NOW))),
                                jdbc)))
                .isInstanceOf(DataIntegrityViolationException.class)
                .matches(e -> !WritesAtCommit.GuardedWrite.refused(e), "a duplicate key, not a guard");
    }

    /** A holder and its record written, then {@code failing} queued: the commit fails and nothing stays. */
    private void aWriteThatFailsAtTheCommitRollsTheWholeTransactionBack(
            Function<HolderId, WritesAtCommit.Write> failing) {
        String actor = actor();
        HolderId holder = new HolderId("H" + actor);
        TransactionTemplate transaction = new TransactionTemplate(transactions);

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    enrolledWithItsRecord(holder, actor);
                    WritesAtCommit.write(failing.apply(holder), jdbc);
                }))
                .isInstanceOf(DataIntegrityViolationException.class);

        assertThat(recordsOf(actor))
                .as("the record queued before the failing write")
                .isZero();
        assertThat(holders.find(holder)).as("the transaction's own write").isEmpty();
        // The connection went back to the pool usable: the next transaction commits.
        aRecordIsCommittedWithTheWritesOfItsTransaction();
    }

    @Test
    void aTransactionOfItsOwnInsideAnotherCommitsItsRecordsAloneAndFirst() {
        String outer = actor();
        String inner = actor();
        TransactionTemplate own = new TransactionTemplate(transactions);
        own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            audit.recordInCurrentTransaction(AuditEvent.success(outer, AuditAction.ENROLLED, null));
            own.executeWithoutResult(
                    s -> audit.recordInCurrentTransaction(AuditEvent.success(inner, AuditAction.STATUS_SHOWN, null)));
            // AuditLog.record: a refusal's record, in a transaction of its own, while the outer one is open
            audit.record(AuditEvent.refused(inner, AuditAction.STATUS_REFUSED, "CHALLENGE_USED", null));

            assertThat(recordsOf(inner))
                    .as("committed by the inner transactions")
                    .isEqualTo(2);
            assertThat(recordsOf(outer))
                    .as("still waiting for the outer commit")
                    .isZero();
        });

        assertThat(recordsOf(outer)).isEqualTo(1);
    }

    @Test
    void outsideATransactionOfTheServersManagerAnInsertIsWrittenAtOnce() {
        String actor = actor();
        TransactionTemplate plain = new TransactionTemplate(new DataSourceTransactionManager(source));

        WritesAtCommit.write(
                HOLDER.with(Arrays.asList(
                        "H" + actor, "王小明", "內政部", null, "zh-TW", Timestamps.of(NOW), Timestamps.of(NOW))),
                jdbc);
        assertThat(holders.find(new HolderId("H" + actor))).as("no transaction").isPresent();

        plain.executeWithoutResult(status -> {
            audit.recordInCurrentTransaction(AuditEvent.success(actor, AuditAction.ENROLLED, null));
            assertThat(recordsOf(actor))
                    .as("in that transaction, before its commit")
                    .isEqualTo(1);
            status.setRollbackOnly();
        });
        assertThat(recordsOf(actor)).as("rolled back with that transaction").isZero();
    }

    @Test
    void onlyAnInsertOfOneRowAnUpdateOfItsOwnRowsOrAGuardedWriteOfOneRowCanWaitForTheCommit() {
        refusedAs(
                WritesAtCommit.OneRowInsert::new,
                "UPDATE holder SET name = ? WHERE id = ?",
                "INSERT INTO holder (id) SELECT id FROM holder",
                "INSERT INTO holder (id) VALUES (?), (?)",
                "INSERT INTO holder (id) VALUES (?); DELETE FROM holder");
        refusedAs(
                WritesAtCommit.UncheckedUpdate::new,
                "INSERT INTO holder (id) VALUES (?)",
                "UPDATE holder SET name = ?",
                "UPDATE holder SET name = ? WHERE id IN (SELECT id FROM card_pair)",
                "UPDATE holder SET name = ? WHERE id = ? RETURNING id",
                "UPDATE holder SET name = ? WHERE id = ?; DELETE FROM holder",
                "DELETE FROM holder WHERE id = ?");
        assertThat(new WritesAtCommit.UncheckedUpdate("update holder\n  set name = ?\n where holder_id = ?").sql())
                .startsWith("update holder");
        refusedAs(
                WritesAtCommit.GuardedWrite::new,
                "UPDATE holder SET name = ? WHERE holder_id = ?",
                "UPDATE holder SET name = CASE WHEN name = ? THEN ? END",
                "INSERT INTO holder (id, name) SELECT ?, CASE WHEN ? THEN ? END FROM holder",
                "INSERT INTO holder (id, name) SELECT ?, CASE WHEN ? THEN ? END WHERE 1 = 1",
                "INSERT INTO holder (id, name) VALUES (?, ?)",
                "UPDATE holder SET name = CASE WHEN name = ? THEN ? END WHERE id = ? RETURNING id",
                "UPDATE holder SET name = CASE WHEN name = ? THEN ? END WHERE id = ?; DELETE FROM holder",
                "DELETE FROM holder WHERE CASE WHEN id = ? THEN 1 END = 1");
        assertThat(new WritesAtCommit.GuardedWrite(
                                "INSERT INTO holder (id, name)\n SELECT ?, CASE WHEN NOT EXISTS (SELECT 1 FROM holder WHERE id = ?)"
                                        + " THEN ? END")
                        .sql())
                .startsWith("INSERT");
    }

    /** Each of {@code sqls} is refused by the kind of write {@code declare} makes of it. */
    private static void refusedAs(Function<String, WritesAtCommit.Deferrable> declare, String... sqls) {
        for (String sql : sqls) {
            assertThatThrownBy(() -> declare.apply(sql)).as(sql).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** A holder named 王小明, enrolled with its record (committed). */
    private HolderId enrolled() {
        String actor = actor();
        HolderId holder = new HolderId("H" + actor);
        new TransactionTemplate(transactions).executeWithoutResult(status -> enrolledWithItsRecord(holder, actor));
        return holder;
    }

    /** A holder written, and its ENROLLED record queued, in the transaction in progress. */
    private void enrolledWithItsRecord(HolderId holder, String actor) {
        holders.save(new Holder(holder, "王小明", "內政部", null, "zh-TW"), NOW);
        audit.recordInCurrentTransaction(AuditEvent.success(actor, AuditAction.ENROLLED, null));
    }

    private int recordsOf(String actor) {
        return StoreContractTest.recordsOf(jdbc, actor);
    }

    private static String actor() {
        return StoreContractTest.actor();
    }
}
