package org.cardrenew.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import javax.sql.DataSource;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditChainer;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.store.AuditRepository;
import org.cardrenew.server.store.ConsoleSearch;
import org.cardrenew.server.store.ConsoleStatistics;
import org.cardrenew.server.store.ConsoleUser;
import org.cardrenew.server.store.ConsoleUserRepository;
import org.cardrenew.server.testsupport.MutableClock;
import org.cardrenew.server.testsupport.PostgresSchema;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The console's SQL on PostgreSQL (the page tests run it on H2): users, TOTP steps, search, statistics (cards: StoreContractTest). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleStoreOnPostgresTest {

    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");

    private ConsoleUserRepository users;
    private ConsoleSearch search;
    private ConsoleStatistics statistics;
    private AuditLog audit;
    private AuditChainer chainer;

    @BeforeAll
    void migrate() {
        PostgresSchema schema = PostgresSchema.fresh();
        DataSource dataSource =
                new SimpleDriverDataSource(new org.postgresql.Driver(), schema.url(), schema.user(), schema.password());
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        users = new ConsoleUserRepository(jdbc);
        search = new ConsoleSearch(jdbc);
        statistics = new ConsoleStatistics(jdbc);
        MutableClock clock = new MutableClock();
        clock.set(NOW);
        AuditRepository records = new AuditRepository(jdbc);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        chainer = new AuditChainer(records, transactions, clock, new SimpleMeterRegistry(), false);
        audit = new AuditLog(records, chainer, transactions, clock, new SimpleMeterRegistry());
    }

    @Test
    void refusalsAreCountedByCodeMostFrequentFirst() {
        for (String code : new String[] {"SIGNATURE_INVALID", "NOT_YET_RENEWABLE", "NOT_YET_RENEWABLE", null}) {
            // refusals of an authenticated card: an anonymous caller's are not chained (AuditLog)
            recordChained(AuditEvent.refused("0a0b0c", AuditAction.STATUS_REFUSED, code, ClientAddress.UNKNOWN));
        }
        recordChained(AuditEvent.success(AuditEvent.ANONYMOUS, AuditAction.STATUS_SHOWN, ClientAddress.UNKNOWN)
                .code("RENEWABLE"));
        assertThat(statistics.refusalsByCode(NOW.minusSeconds(1)))
                .containsExactly(
                        java.util.Map.entry("NOT_YET_RENEWABLE", 2L),
                        java.util.Map.entry("NONE", 1L),
                        java.util.Map.entry("SIGNATURE_INVALID", 1L));
    }

    @Test
    void aTotpStepIsAcceptedOnceAndOnlyForwards() {
        users.insert(new ConsoleUser("officer", "OFFICER", "{noop}x", new byte[20], -1, NOW, "test"));
        assertThat(users.acceptStep("officer", 100)).isTrue();
        assertThat(users.acceptStep("officer", 100)).isFalse();
        assertThat(users.acceptStep("officer", 99)).isFalse();
        assertThat(users.acceptStep("officer", 101)).isTrue();
        assertThat(users.find("officer"))
                .get()
                .extracting(ConsoleUser::lastStep)
                .isEqualTo(101L);
        assertThat(users.countWithRole("OFFICER")).isEqualTo(1);
    }

    @Test
    void searchesAndStatisticsRunOnAnEmptyStore() {
        assertThat(search.certificates("100%_\\ name")).isEmpty();
        assertThat(search.certificate("ab")).isEmpty();
        assertThat(search.renewalsOfHolder("T1")).isEmpty();
        assertThat(search.renewal("none")).isEmpty();
        assertThat(search.auditOfRenewal("none")).isEmpty();
        assertThat(statistics.renewalsCompleted(NOW.minusSeconds(86_400), NOW)).isEmpty();
        assertThat(statistics.activePairsExpiring(NOW, NOW.plusSeconds(86_400))).isEmpty();
        assertThat(statistics.refusalsByCode(NOW.plusSeconds(60))).isEmpty();
    }

    @Test
    void aRenewalsDecisionsAreListedChainedFirstThenThoseWaitingToBeChained() {
        String renewal = "3f1c2d4e-0000-4000-8000-00000000000a";
        recordChained(AuditEvent.success("0a0b0d", AuditAction.RENEWAL_ISSUED, ClientAddress.UNKNOWN)
                .renewal(renewal));
        audit.record(AuditEvent.success("0a0b0d", AuditAction.RENEWAL_CONFIRMED, ClientAddress.UNKNOWN)
                .renewal(renewal));
        audit.record(AuditEvent.success("0a0b0d", AuditAction.STATUS_SHOWN, ClientAddress.UNKNOWN));

        assertThat(search.auditOfRenewal(renewal))
                .extracting(ConsoleSearch.Decision::action, decision -> decision.seq() != null)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("RENEWAL_ISSUED", true),
                        org.assertj.core.groups.Tuple.tuple("RENEWAL_CONFIRMED", false));
        chainer.chainPending();
        assertThat(search.auditOfRenewal(renewal))
                .extracting(ConsoleSearch.Decision::action, decision -> decision.seq() != null)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("RENEWAL_ISSUED", true),
                        org.assertj.core.groups.Tuple.tuple("RENEWAL_CONFIRMED", true));
    }

    /** Records the event and links it into the chain at once, as the server's chainer does a moment later. */
    private void recordChained(AuditEvent event) {
        audit.record(event);
        chainer.chainPending();
    }
}
