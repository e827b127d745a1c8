package org.cardrenew.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.EnrollmentResponse;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RaRefusedException;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.ra.SupersededPairRevocation;
import org.cardrenew.server.store.RenewalRepository;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** The demo profile (explicit validity) on PostgreSQL, and concurrent renewals with real threads. */
@ActiveProfiles("demo")
@TestPropertySource(properties = "cardrenew.renewal.revoke-old-after=P7D")
class DemoProfileOnPostgresTest extends ApiTestBase {

    private static final int THREADS = 8;

    @Autowired
    private RenewalRepository renewals;

    @Autowired
    private SupersededPairRevocation revocation;

    @Autowired
    private org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        usePostgres(registry);
    }

    @Test
    void theServersSessionsReuseOnePlanPerPreparedStatement() {
        // PostgresPlanCache: sent in each connection's start-up options.
        assertThat(jdbc.sql("SHOW plan_cache_mode").query(String.class).single())
                .isEqualTo("force_generic_plan");
    }

    @Test
    void ofConcurrentRenewalsWithDifferentKeysExactlyOneIssues() throws Exception {
        Renewable renewable = renewableCard();
        List<RenewalRequest> requests = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            requests.add(renewalRequest(renewable.token(), renewable.card(), Card.p256()));
        }
        long certificatesBefore = certificates.count();
        long renewalsBefore = renewals.count();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Object>> outcomes = new ArrayList<>();
        try {
            for (RenewalRequest request : requests) {
                Callable<Object> call = () -> {
                    start.await();
                    try {
                        return client.renew(request);
                    } catch (RaRefusedException refused) {
                        return refused;
                    }
                };
                outcomes.add(pool.submit(call));
            }
            start.countDown();
            List<RenewalResponse> issued = new ArrayList<>();
            List<RaRefusedException> refused = new ArrayList<>();
            for (Future<Object> outcome : outcomes) {
                Object result = outcome.get(60, TimeUnit.SECONDS);
                if (result instanceof RenewalResponse response) {
                    issued.add(response);
                } else {
                    refused.add((RaRefusedException) result);
                }
            }

            assertThat(issued).hasSize(1);
            assertThat(issued.get(0).state()).isEqualTo(RenewalState.ISSUED);
            assertThat(refused).hasSize(THREADS - 1).allSatisfy(r -> {
                assertThat(r.code()).isEqualTo(ErrorCode.RENEWAL_IN_PROGRESS.name());
                assertThat(r.httpStatus()).isEqualTo(409);
            });
            assertThat(certificates.count()).isEqualTo(certificatesBefore + 2);
            assertThat(renewals.count()).isEqualTo(renewalsBefore + 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ofConcurrentIdenticalRequestsAllGetTheOneRenewal() throws Exception {
        Renewable renewable = renewableCard();
        Card next = Card.p256();
        long certificatesBefore = certificates.count();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<RenewalResponse>> outcomes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                RenewalRequest request = renewalRequest(renewable.token(), renewable.card(), next);
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return client.renew(request);
                }));
            }
            start.countDown();
            List<String> ids = new ArrayList<>();
            for (Future<RenewalResponse> outcome : outcomes) {
                RenewalResponse response = outcome.get(60, TimeUnit.SECONDS);
                assertThat(response.state()).isEqualTo(RenewalState.ISSUED);
                ids.add(response.signingCertificate());
            }
            assertThat(ids).containsOnly(ids.get(0));
            assertThat(certificates.count()).isEqualTo(certificatesBefore + 2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theDemoEnrollsACardThatExpiresInTwentyDays() throws Exception {
        Card card = Card.rsa();
        Instant now = clock.instant();
        EnrollmentResponse enrolled =
                enroll(card, holderId(), now.minus(Duration.ofDays(345)), now.plus(Duration.ofDays(20)));

        assertThat(enrolled.notAfter()).isEqualTo(now.plus(Duration.ofDays(20)));
        assertThat(status(card).status()).isEqualTo(CertificateStatus.RENEWABLE);
    }

    @Test
    void anExpiredCardIsPastTheTimeAllowedForRenewal() throws Exception {
        Card card = Card.p256();
        Instant now = clock.instant();
        enroll(card, holderId(), now.minus(Duration.ofDays(400)), now.minus(Duration.ofSeconds(1)));

        var status = status(card);
        assertThat(status.status()).isEqualTo(CertificateStatus.EXPIRED);
        assertThat(status.renewalToken()).isNull();
        assertThat(status.message()).contains("past the time allowed for renewal; apply for a new card");
    }

    @Test
    void anInvertedExplicitValidityIsRefused() {
        Instant now = clock.instant();
        assertRefused(ErrorCode.VALIDITY_INVALID, () -> enroll(Card.p256(), holderId(), now, now.minusSeconds(1)));
    }

    @Test
    void theOldPairIsRevokedWhenTheConfiguredGracePeriodEnds() throws Exception {
        Renewable renewable = renewableCard();
        Card next = Card.p256();
        RenewalResponse issued = client.renew(renewalRequest(renewable.token(), renewable.card(), next));
        next.install(issued.signingCertificate(), issued.encryptionCertificate());
        confirm(issued.renewalId(), next);
        Instant confirmedAt = clock.instant();

        clock.set(confirmedAt.plus(Duration.ofDays(7)).minusSeconds(1));
        revocation.revokeDue();
        assertThat(status(renewable.card()).status()).isEqualTo(CertificateStatus.ALREADY_RENEWED);

        clock.set(confirmedAt.plus(Duration.ofDays(7)));
        assertThat(revocation.revokeDue()).isGreaterThanOrEqualTo(1);
        assertThat(certificates
                        .findBySerial(renewable.card().serial())
                        .orElseThrow()
                        .revoked())
                .isTrue();
        assertThat(certificates
                        .findBySerial(
                                renewable.card().encryption.getSerialNumber().toString(16))
                        .orElseThrow()
                        .revoked())
                .isTrue();
        assertThat(status(renewable.card()).status()).isEqualTo(CertificateStatus.REVOKED);
        assertThat(status(next).status())
                .as("the new pair is untouched")
                .isEqualTo(CertificateStatus.NOT_YET_RENEWABLE);
        assertThat(revocation.revokeDue()).as("once").isZero();
    }
}
