package org.cardrenew.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.store.AuditRepository;
import org.cardrenew.server.testsupport.MutableClock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit outbox: a decision writes its record unchained, durable at once, and a chainer links the pending records
 * into one hash chain in batches, in the order they were written, on one node or several.
 */
class AuditChainerTest {

    private final ExecutorService callers = Executors.newFixedThreadPool(8);
    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<AuditChainer> started = new ArrayList<>();
    private JdbcClient jdbc;
    private SimpleDriverDataSource dataSource;
    private CountingRepository repository;
    private AuditChainer chainer;
    private AuditLog audit;

    @BeforeEach
    void database() {
        dataSource = new SimpleDriverDataSource(
                new org.h2.Driver(),
                "jdbc:h2:mem:outbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
                "sa",
                "");
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        jdbc = JdbcClient.create(dataSource);
        repository = new CountingRepository(jdbc);
        chainer = new AuditChainer(repository, new DataSourceTransactionManager(dataSource), clock, meters, true);
        audit = log(repository, chainer, dataSource);
    }

    @AfterEach
    void stop() {
        started.forEach(AuditChainer::stop);
        callers.shutdownNow();
    }

    @Test
    void aRecordIsDurableWhenItsDecisionReturnsAndIsChainedLaterInTheOrderItWasWritten() {
        audit.record(event("first"));
        audit.record(event("second"));
        audit.record(event("third"));

        assertThat(pendingActors()).containsExactly("first", "second", "third");
        assertThat(repository.count()).as("nothing chained yet").isZero();

        assertThat(chainer.chainPending()).isEqualTo(3);

        assertThat(pendingActors()).isEmpty();
        List<AuditRecord> chain = repository.all();
        assertThat(chain).extracting(AuditRecord::actor).containsExactly("first", "second", "third");
        assertThat(chain).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L);
        assertThat(jdbc.sql("SELECT pending_id FROM audit_event ORDER BY seq")
                        .query(Long.class)
                        .list())
                .as("each record names the pending row it came from")
                .isSorted()
                .doesNotContainNull()
                .doesNotHaveDuplicates();
        assertThat(repository.batches).as("one transaction for the three").containsExactly(3);
        assertThat(audit.verify()).isEqualTo(-1);
        assertThat(chainer.chainPending()).as("nothing left").isZero();
    }

    @Test
    void aRecordWrittenInATransactionIsCommittedWithItsStateChangeOrNotAtAll() {
        TransactionTemplate business = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        jdbc.sql("CREATE TABLE thing (id INT PRIMARY KEY)").update();
        business.executeWithoutResult(s -> {
            jdbc.sql("INSERT INTO thing (id) VALUES (1)").update();
            audit.recordInCurrentTransaction(event("committed"));
            audit.recordInCurrentTransaction(event("also committed")); // no longer limited to one, nor to the last
            jdbc.sql("INSERT INTO thing (id) VALUES (3)").update();
        });
        assertThatThrownBy(() -> business.executeWithoutResult(s -> {
                    jdbc.sql("INSERT INTO thing (id) VALUES (2)").update();
                    audit.recordInCurrentTransaction(event("rolled back"));
                    throw new IllegalStateException("the business transaction fails after the record");
                }))
                .hasMessageContaining("fails after the record");

        assertThat(jdbc.sql("SELECT id FROM thing ORDER BY id")
                        .query(Integer.class)
                        .list())
                .containsExactly(1, 3);
        assertThat(pendingActors()).containsExactly("committed", "also committed");
        chainer.chainPending();
        assertThat(repository.all()).extracting(AuditRecord::actor).containsExactly("committed", "also committed");
        assertThat(audit.verify()).isEqualTo(-1);
    }

    @Test
    void aRecordInTheCurrentTransactionNeedsOne() {
        assertThatThrownBy(() -> audit.recordInCurrentTransaction(event("no transaction")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(pendingActors()).isEmpty();
    }

    @Test
    void anUnauthenticatedRefusalIsCountedNotRecorded() {
        audit.record(AuditEvent.refused(
                AuditEvent.ANONYMOUS, AuditAction.STATUS_REFUSED, "SIGNATURE_INVALID", new ClientAddress("192.0.2.9")));
        assertThat(pendingActors()).isEmpty();
        assertThat(chainer.chainPending()).isZero();
    }

    @Test
    void aBatchThatCannotBeCommittedStaysPendingAndIsChainedNextTime() {
        audit.record(event("before"));
        chainer.chainPending();
        audit.record(event("a"));
        audit.record(event("b"));
        repository.failNextInsert();

        assertThatThrownBy(chainer::chainPending).hasMessageContaining("database gone");
        assertThat(pendingActors()).as("rolled back: still pending").containsExactly("a", "b");
        assertThat(repository.all()).extracting(AuditRecord::actor).containsExactly("before");
        assertThat(jdbc.sql("SELECT last_seq FROM audit_head").query(Long.class).single())
                .isEqualTo(1L);

        assertThat(chainer.chainPending()).isEqualTo(2);
        assertThat(repository.all()).extracting(AuditRecord::actor).containsExactly("before", "a", "b");
        assertThat(audit.verify()).isEqualTo(-1);
    }

    @Test
    void aRecordThatCommitsAfterAYoungerOneWasChainedIsChainedByTheNextSweep() throws Exception {
        audit.record(event("before"));
        assertThat(chainer.chainNew()).as("the first read is complete").isEqualTo(1);
        Late late = new Late();
        audit.record(event("younger"));
        assertThat(chainer.chainNew()).isEqualTo(1);

        late.commit();
        assertThat(pendingActors()).containsExactly("late");
        assertThat(chainer.chainNew())
                .as("a woken chainer reads above the highest id it chained, not the chained rows below it")
                .isZero();
        clock.advance(AuditChainer.SWEEP);
        assertThat(chainer.chainNew()).as("the sweep reads again").isEqualTo(1);

        assertThat(pendingActors()).isEmpty();
        assertThat(repository.all()).extracting(AuditRecord::actor).containsExactly("before", "younger", "late");
        assertThat(audit.verify()).isEqualTo(-1);
        assertThat(meters.get("cardrenew.audit.chaining.late").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void aRecordThatCommitsLongAfterAYoungerOneWasChainedIsChainedByTheNextCompletePass() throws Exception {
        audit.record(event("before"));
        chainer.chainNew();
        Late late = new Late();
        audit.record(event("younger"));
        chainer.chainNew();
        clock.advance(AuditChainer.SWEEP);
        chainer.chainNew(); // the sweep marks where the chainer stands
        clock.advance(AuditChainer.GRACE);
        chainer.chainNew();

        late.commit();
        clock.advance(AuditChainer.SWEEP);
        assertThat(chainer.chainNew())
                .as("passed more than GRACE ago: the sweeps read above it")
                .isZero();
        clock.advance(AuditChainer.COMPLETE);
        assertThat(chainer.chainNew()).as("the complete pass").isEqualTo(1);
        assertThat(repository.all()).extracting(AuditRecord::actor).containsExactly("before", "younger", "late");
        assertThat(audit.verify()).isEqualTo(-1);
    }

    /** A record inserted in a transaction that stays open until {@link #commit}: its id is below the next record's. */
    private final class Late {
        private final CountDownLatch release = new CountDownLatch(1);
        private final Future<?> transaction;

        Late() throws Exception {
            CountDownLatch inserted = new CountDownLatch(1);
            TransactionTemplate business = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            transaction = callers.submit(() -> business.executeWithoutResult(s -> {
                audit.recordInCurrentTransaction(event("late"));
                inserted.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(inserted.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pendingActors()).as("not visible before its commit").doesNotContain("late");
        }

        void commit() throws Exception {
            release.countDown();
            transaction.get(30, TimeUnit.SECONDS);
            long lateId = jdbc.sql("SELECT id FROM audit_pending WHERE actor = 'late'")
                    .query(Long.class)
                    .single();
            long youngerId = jdbc.sql("SELECT pending_id FROM audit_event WHERE actor = 'younger'")
                    .query(Long.class)
                    .single();
            assertThat(lateId)
                    .as("inserted before the younger record, committed after it")
                    .isLessThan(youngerId);
        }
    }

    @Test
    void manyWritersAndARunningChainerFormOneUnbrokenChainInBatches() throws Exception {
        start(chainer);
        TransactionTemplate business = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String actor = "caller-" + i;
            boolean inTransaction = i % 2 == 0;
            all.add(callers.submit(() -> {
                if (inTransaction) {
                    business.executeWithoutResult(s -> audit.recordInCurrentTransaction(event(actor)));
                } else {
                    audit.record(event(actor));
                }
            }));
        }
        for (Future<?> f : all) {
            f.get(30, TimeUnit.SECONDS);
        }

        // chained by the chainer's own thread: nobody here asks it to
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingActors().isEmpty());
        assertThat(repository.all())
                .extracting(AuditRecord::actor)
                .doesNotHaveDuplicates()
                .hasSize(400);
        assertThat(repository.all()).extracting(AuditRecord::seq).isSorted().endsWith(400L);
        assertThat(audit.verify()).isEqualTo(-1);
        assertThat(jdbc.sql("SELECT last_seq FROM audit_head").query(Long.class).single())
                .isEqualTo(400L);
        assertThat(repository.batches).allMatch(n -> n >= 1 && n <= AuditChainer.MAX_BATCH);
        assertThat(repository.batches.stream().mapToInt(Integer::intValue).max().orElseThrow())
                .as("records that came while the chainer lingered share its transaction")
                .isGreaterThan(1);
        assertThat(chainer.wakeUps())
                .as("records that came while the chainer lingered or was awake did not wake it again (400 commits)")
                .isPositive()
                .isLessThanOrEqualTo(2L * repository.batches.size() + 2);
    }

    @Test
    void twoNodesChainIntoOneChain() throws Exception {
        CountingRepository otherRows = new CountingRepository(jdbc);
        AuditChainer otherChainer = chainer(otherRows, dataSource);
        AuditLog otherNode = log(otherRows, otherChainer, dataSource);

        audit.record(event("a1"));
        otherNode.record(event("b1"));
        otherChainer.chainPending(); // a node chains the other's records as well as its own
        audit.record(event("a2"));
        chainer.chainPending();
        otherNode.record(event("b2"));
        otherChainer.chainPending();
        assertThat(repository.all()).extracting(AuditRecord::actor).containsExactly("a1", "b1", "a2", "b2");
        assertThat(repository.all()).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L, 4L);

        // and both running at once, each woken by its own node's records
        start(chainer);
        start(otherChainer);
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            AuditLog node = i % 2 == 0 ? audit : otherNode;
            String actor = "caller-" + i;
            all.add(callers.submit(() -> node.record(event(actor))));
        }
        for (Future<?> f : all) {
            f.get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingActors().isEmpty());
        assertThat(repository.all())
                .extracting(AuditRecord::seq)
                .hasSize(204)
                .isSorted()
                .endsWith(204L);
        assertThat(audit.verify()).isEqualTo(-1);
    }

    @Test
    void recordsAStoppedNodeLeftPendingAreChainedByAnotherNode() {
        audit.record(event("left by a node that stopped")); // its chainer never ran
        CountingRepository otherRows = new CountingRepository(jdbc);
        AuditChainer otherChainer = chainer(otherRows, dataSource);
        start(otherChainer); // it looks at start, and then every POLL

        await().atMost(Duration.ofSeconds(10)).until(() -> pendingActors().isEmpty());
        assertThat(repository.all()).extracting(AuditRecord::actor).containsExactly("left by a node that stopped");
    }

    @Test
    void aStoppingChainerChainsWhatTheLastRequestsWrote() {
        start(chainer);
        audit.record(event("last"));
        chainer.stop();
        assertThat(pendingActors()).isEmpty();
        assertThat(repository.all()).extracting(AuditRecord::actor).containsExactly("last");
        assertThat(chainer.isRunning()).isFalse();
    }

    @Test
    void writersAndTheChainerDoNotDeadlockOnAFullPool() throws Exception {
        // Business transactions hold a connection while they write; record() takes a second one for its own
        // transaction, and the chainer one of its own: with two connections everything must still get through.
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(10_000);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            AuditRepository pooled = new AuditRepository(JdbcClient.create(pool));
            AuditChainer poolChainer = chainer(pooled, pool);
            AuditLog node = log(pooled, poolChainer, pool);
            start(poolChainer);
            TransactionTemplate business = new TransactionTemplate(new DataSourceTransactionManager(pool));
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String actor = "caller-" + i;
                boolean inTransaction = i % 3 != 0;
                all.add(callers.submit(() -> {
                    if (inTransaction) {
                        business.executeWithoutResult(s -> node.recordInCurrentTransaction(event(actor)));
                    } else {
                        node.record(event(actor));
                    }
                }));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> pendingActors().isEmpty());
            poolChainer.stop();
            started.remove(poolChainer);
            assertThat(pooled.count()).isEqualTo(300);
            assertThat(node.verify()).isEqualTo(-1);
        }
    }

    private List<String> pendingActors() {
        return jdbc.sql("SELECT actor FROM audit_pending ORDER BY id")
                .query(String.class)
                .list();
    }

    @Test
    void batchesOfEverySizeShareAFewStatementTextsSoTheDriversStatementCacheKeepsTheRenewalPath() {
        java.util.Set<String> texts = java.util.concurrent.ConcurrentHashMap.newKeySet();
        DataSource recording = org.cardrenew.server.testsupport.SqlCounting.recordingPreparedTexts(dataSource, texts);
        AuditRepository rows = new AuditRepository(JdbcClient.create(recording));
        AuditChainer recorded = chainer(rows, recording);
        AuditLog log = log(rows, recorded, recording);

        int written = 0;
        for (int size = 1; size <= 40; size++) {
            for (int i = 0; i < size; i++) {
                log.record(event("batch-" + size));
            }
            written += size;
            assertThat(recorded.chainPending()).as("batch of " + size).isEqualTo(size);
        }

        assertThat(rows.count()).isEqualTo(written);
        assertThat(pendingActors()).isEmpty();
        // Inserts of 1, 2, 4, 8, 16 and 32 rows; deletes of 1 to 64 ids (a batch of 33 to 40 is padded to 64).
        assertThat(texts.stream().filter(t -> t.contains("INSERT INTO audit_event")))
                .hasSize(6);
        assertThat(texts.stream().filter(t -> t.startsWith("DELETE FROM audit_pending")))
                .hasSize(7);
    }

    private void start(AuditChainer c) {
        c.start();
        started.add(c);
    }

    private static AuditChainer chainer(AuditRepository rows, DataSource dataSource) {
        return new AuditChainer(
                rows,
                new DataSourceTransactionManager(dataSource),
                new MutableClock(),
                new SimpleMeterRegistry(),
                true);
    }

    private static AuditLog log(AuditRepository rows, AuditChainer chainer, DataSource dataSource) {
        return new AuditLog(
                rows,
                chainer,
                new DataSourceTransactionManager(dataSource),
                new MutableClock(),
                new SimpleMeterRegistry());
    }

    private static AuditEvent event(String actor) {
        return AuditEvent.success(actor, AuditAction.STATUS_SHOWN, new ClientAddress("192.0.2.1"))
                .code("RENEWABLE")
                .certificate("1a");
    }

    /** Counts the chainer's batches; can fail an insert. */
    private static final class CountingRepository extends AuditRepository {
        final List<Integer> batches = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean fail = new AtomicBoolean();

        CountingRepository(JdbcClient jdbc) {
            super(jdbc);
        }

        void failNextInsert() {
            fail.set(true);
        }

        @Override
        public void insertAll(List<AuditRecord> records, List<Long> pendingIds) {
            super.insertAll(records, pendingIds);
            if (fail.getAndSet(false)) {
                throw new IllegalStateException("database gone");
            }
            batches.add(records.size());
        }
    }
}
