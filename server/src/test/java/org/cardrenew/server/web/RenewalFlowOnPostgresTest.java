package org.cardrenew.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.testsupport.Card;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** The renewal flow on PostgreSQL, in a schema of its own. */
class RenewalFlowOnPostgresTest extends RenewalFlowContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        usePostgres(registry);
    }

    /**
     * A claim that waited for an identical one's commit (the pair's one renewal, UNIQUE old_pair_id) loses at its own
     * COMMIT (issue 14), then resumes the winner's renewal: the same keys, so it is issued and answered. PostgreSQL
     * only: H2 gives up waiting for a row that another session holds uncommitted after its lock timeout, which this
     * test's open transaction outlasts.
     */
    @Test
    void aClaimThatWaitedForAnIdenticalOneLosesThePairAtItsCommitAndIssuesTheWinnersRenewal() throws Exception {
        Renewable renewable = renewableCard();
        Card next = Card.p256();
        RenewalRequest request = renewalRequest(renewable.token(), renewable.card(), next);
        Renewal winner = claimOf(renewable, next);
        // Written at once, not with the commit: the request's claim must find the row there, uncommitted.
        TransactionTemplate plain = new TransactionTemplate(
                new DataSourceTransactionManager(((JdbcTransactionManager) transactions).getDataSource()));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<RenewalResponse> renewing = plain.execute(status -> {
                renewals.claim(winner);
                Future<RenewalResponse> waiting = pool.submit(() -> client.renew(request));
                await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> sessionsWaitingForALock() > 0);
                return waiting;
            });

            RenewalResponse answer = renewing.get(30, TimeUnit.SECONDS);
            assertThat(answer.state()).isEqualTo(RenewalState.ISSUED);
            assertThat(answer.renewalId()).isEqualTo(winner.id().toString());
        } finally {
            pool.shutdownNow();
        }
    }
}
