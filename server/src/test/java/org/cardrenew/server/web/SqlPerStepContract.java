package org.cardrenew.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.ConfirmationResponse;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.cardrenew.server.testsupport.SqlCounting;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Repository;

/**
 * The SQL each step of a renewal runs, counted through a JDBC proxy (issue 14: every statement, commit and round trip
 * costs the database and the server CPU on every renewal). A change that adds a statement, a commit or a round trip
 * to a step fails here with the step's statement list; update the figures (and docs/BENCHMARKS.md) only for a statement that is needed. The audit chain's
 * own statements (how it appends is the audit package's business) are pinned apart, as a count per step; the commits
 * of a step, its audit appends included, are pinned with the step.
 */
@Import(SqlCounting.class)
abstract class SqlPerStepContract extends ApiTestBase {

    @Autowired
    private SqlCounting sql;

    @Autowired
    private ApplicationContext context;

    /**
     * The store is reached directly, not through Spring's exception-translation proxy (a reflective call and an
     * interceptor lookup on each of the ~15 repository calls of a renewal): JdbcClient translates SQLExceptions itself.
     */
    @Test
    void theRepositoriesAreCalledWithoutAProxy() {
        assertThat(context.getBeansWithAnnotation(Repository.class))
                .isNotEmpty()
                .allSatisfy((name, bean) ->
                        assertThat(AopUtils.isAopProxy(bean)).as(name).isFalse());
    }

    @Test
    void eachStepOfARenewalRunsItsFewStatementsAndCommits() throws Exception {
        // One renewal first, as on a server that has been running.
        renewAndConfirm(Card.p256());

        Card card = Card.p256();
        enroll(card);
        moveIntoWindow(card);

        sql.reset();
        ChallengeResponse challenge = client.challenge();
        assertStep("challenge", 0, 0, 0);

        sql.reset();
        StatusResponse status = client.status(new StatusRequest(
                challenge.challengeId(),
                card.signingCertificateBase64(),
                card.sign(SignedPayloads.status(challenge.nonce())),
                card.algorithm()));
        assertThat(status.status()).isEqualTo(CertificateStatus.RENEWABLE);
        // the pair with its certificates and renewal, the single-use record with the renewal token's hash,
        // STATUS_SHOWN:
        // one transaction
        assertStep("status", 2, 1, 1);
        // on PostgreSQL the single-use record and STATUS_SHOWN go with the COMMIT, as one statement (WritesAtCommit)
        assertRoundTrips("status", 4, 2);

        Card next = Card.p256();
        sql.reset();
        RenewalResponse issued = client.renew(renewalRequest(status.renewalToken(), card, next));
        assertThat(issued.state()).isEqualTo(RenewalState.ISSUED);
        // the token's pair (committed alone); the claim, checking in the same statement that both keys are new, and
        // its intent (one transaction, committed before the CA signs; on PostgreSQL both go with the COMMIT as one
        // statement); the new pair, ISSUED naming it (which locks the renewal while the CA signs), both certificates
        // and the outcome record (one transaction); on PostgreSQL the new pair, ISSUED and a read of the pair's id and
        // of two ids for the certificates go as one statement (IssuanceStart), and the certificates, one INSERT each
        // under those ids, go with the outcome's record and the COMMIT; on H2 both certificates are one INSERT
        assertStep("renew", onPostgres() ? 7 : 5, 2, 3);
        assertRoundTrips("renew", 9, 4);

        sql.reset();
        ConfirmationResponse confirmed = confirm(issued.renewalId(), next);
        assertThat(confirmed.state()).isEqualTo(RenewalState.COMPLETED);
        // the renewal with both pairs' certificates; COMPLETED, the old pair SUPERSEDED and RENEWAL_CONFIRMED (one
        // transaction); on PostgreSQL all three go with the COMMIT (WritesAtCommit)
        assertStep("confirm", 3, 1, 2);
        assertRoundTrips("confirm", 5, 2);
    }

    /** The database this subclass runs on; PostgreSQL's driver sends no COMMIT after a transaction's last inserts. */
    protected abstract boolean onPostgres();

    private void assertRoundTrips(String step, int onH2, int onPostgres) {
        SqlCounting.Step ran = sql.step();
        assertThat(ran.roundTrips())
                .as(step + " round trips:\n" + ran.describe())
                .isEqualTo(onPostgres() ? onPostgres : onH2);
    }

    private void renewAndConfirm(Card card) throws Exception {
        enroll(card);
        moveIntoWindow(card);
        StatusResponse status = status(card);
        Card next = Card.p256();
        RenewalResponse issued = client.renew(renewalRequest(status.renewalToken(), card, next));
        next.install(issued.signingCertificate(), issued.encryptionCertificate());
        confirm(issued.renewalId(), next);
    }

    /**
     * {@code audit}: the statements on the audit tables, one per record (its insert among the records waiting to be
     * chained); the chainer links them on a thread of its own, in batches, and is not counted here.
     */
    private void assertStep(String step, int statements, int audit, int commits) {
        SqlCounting.Step ran = sql.step();
        assertThat(ran.statements())
                .as(step + " statements:\n" + ran.describe())
                .hasSize(statements);
        assertThat(ran.auditStatements())
                .as(step + " audit statements:\n" + ran.describe())
                .hasSize(audit);
        assertThat(ran.commits()).as(step + " commits:\n" + ran.describe()).isEqualTo(commits);
    }
}
