package org.cardrenew.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.ConfirmationRequest;
import org.cardrenew.protocol.ConfirmationResponse;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RaRefusedException;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.ra.CardPairs;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.ra.RenewalIssuance;
import org.cardrenew.server.ra.RenewalResponses;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.store.Databases;
import org.cardrenew.server.store.Der;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.Renewal;
import org.cardrenew.server.store.RenewalId;
import org.cardrenew.server.store.RenewalRepository;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The whole renewal through the API, on the database the subclass chooses. */
abstract class RenewalFlowContract extends ApiTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    protected RenewalRepository renewals;

    @Autowired
    private RenewalIssuance issuance;

    @Autowired
    private CardPairs pairs;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    protected PlatformTransactionManager transactions;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private RenewalResponses responses;

    @Test
    void aCardIsEnrolledCheckedRenewedAndConfirmed() throws Exception {
        Card card = Card.rsa();
        enroll(card);
        long certificatesBefore = certificates.count();

        StatusResponse early = status(card);
        assertThat(early.status()).isEqualTo(CertificateStatus.NOT_YET_RENEWABLE);
        assertThat(early.renewalToken()).isNull();
        assertThat(early.renewalWindowOpens())
                .isEqualTo(card.signing.getNotAfter().toInstant().minus(Duration.ofDays(30)));
        assertThat(early.message()).contains("renewal opens on");

        moveIntoWindow(card);
        StatusResponse status = status(card);
        assertThat(status.status()).isEqualTo(CertificateStatus.RENEWABLE);
        assertThat(status.subject().country()).isEqualTo("TW");
        assertThat(status.subject().organization()).isEqualTo("內政部");
        assertThat(status.subject().commonName()).isEqualTo("王小明");
        assertThat(status.certificateSerial()).isEqualTo(card.serial());
        assertThat(status.renewalToken()).isNotBlank();

        Card next = Card.rsa();
        Instant renewedAt = clock.instant();
        RenewalResponse issued = client.renew(renewalRequest(status.renewalToken(), card, next));
        assertThat(issued.state()).isEqualTo(RenewalState.ISSUED);
        next.install(issued.signingCertificate(), issued.encryptionCertificate());
        // RFC 7030 §4.2.2: same subject, byte for byte
        assertThat(next.signing.getSubjectX500Principal().getEncoded())
                .isEqualTo(card.signing.getSubjectX500Principal().getEncoded());
        assertThat(next.encryption.getSubjectX500Principal().getEncoded())
                .isEqualTo(card.encryption.getSubjectX500Principal().getEncoded());
        assertThat(next.signing.getPublicKey()).isEqualTo(next.signingKeys.getPublic());
        assertThat(next.encryption.getPublicKey()).isEqualTo(next.encryptionKeys.getPublic());
        // default validity: the original length, from now
        Duration original = Duration.between(
                card.signing.getNotBefore().toInstant(),
                card.signing.getNotAfter().toInstant());
        assertThat(issued.notBefore()).isEqualTo(renewedAt.truncatedTo(ChronoUnit.SECONDS));
        assertThat(issued.notAfter()).isEqualTo(issued.notBefore().plus(original));
        assertThat(issued.previousNotAfter())
                .isEqualTo(card.signing.getNotAfter().toInstant());
        assertThat(issued.chain()).as("the chain only when asked for").isNull();
        X509Certificate issuing = Card.certificate(responses.chain().get(0));
        next.signing.verify(issuing.getPublicKey());
        next.encryption.verify(issuing.getPublicKey());
        assertThat(certificates.count()).isEqualTo(certificatesBefore + 2);

        ConfirmationResponse confirmed = confirm(issued.renewalId(), next);
        assertThat(confirmed)
                .isEqualTo(new ConfirmationResponse(
                        issued.renewalId(),
                        RenewalState.COMPLETED,
                        next.serial(),
                        next.encryption.getSerialNumber().toString(16),
                        issued.notBefore(),
                        issued.notAfter(),
                        issued.previousNotAfter()));

        StatusResponse old = status(card);
        assertThat(old.status()).isEqualTo(CertificateStatus.ALREADY_RENEWED);
        assertThat(old.renewalId()).isEqualTo(issued.renewalId());
        assertThat(status(next).status()).isEqualTo(CertificateStatus.NOT_YET_RENEWABLE);
        assertThat(confirm(issued.renewalId(), next).state())
                .as("confirming again")
                .isEqualTo(RenewalState.COMPLETED);
        assertThat(audit.verify()).as("audit chain intact").isEqualTo(-1);
    }

    @Test
    void theConfirmationAnswerNamesTheCertificatesWithoutRepeatingThem() throws Exception {
        Renewable renewable = renewableCard();
        Card next = Card.p256();
        RenewalResponse issued = client.renew(renewalRequest(renewable.token(), renewable.card(), next));
        next.install(issued.signingCertificate(), issued.encryptionCertificate());
        String id = issued.renewalId();

        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + ApiPaths.confirmation(id)))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                                new ConfirmationRequest(next.sign(SignedPayloads.confirmation(id)), next.algorithm()))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<String> fields = new ArrayList<>();
        JSON.readTree(answer.body()).propertyNames().forEach(fields::add);
        assertThat(fields)
                .containsExactly(
                        "renewalId",
                        "state",
                        "signingSerial",
                        "encryptionSerial",
                        "notBefore",
                        "notAfter",
                        "previousNotAfter");
        // An agent of the previous release reads this answer as a RenewalResponse, and only its state and
        // previousNotAfter (RenewalFlow.finish): both are there under the same names; the serials are ignored.
        RenewalResponse asBefore = JSON.readValue(answer.body(), RenewalResponse.class);
        assertThat(asBefore.state()).isEqualTo(RenewalState.COMPLETED);
        assertThat(asBefore.renewalId()).isEqualTo(id);
        assertThat(asBefore.previousNotAfter()).isEqualTo(issued.previousNotAfter());
        assertThat(asBefore.notAfter()).isEqualTo(issued.notAfter());
        // The certificates are still there for whoever needs them again: the renewal, fetched with its token.
        assertThat(client.renewal(id, renewable.token()).signingCertificate()).isEqualTo(issued.signingCertificate());
    }

    @Test
    void theCaChainIsInTheRenewalAnswerOnlyWhenTheClientAsksForIt() throws Exception {
        Renewable renewable = renewableCard();
        Card next = Card.p256();
        RenewalRequest request = renewalRequest(renewable.token(), renewable.card(), next);
        long certificatesBefore = certificates.count();
        double refusedBefore = refusalsCounted(ErrorCode.REQUEST_INVALID);

        HttpResponse<String> unknown = postRenewal(request, "?include=chains");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).get("code").asString()).isEqualTo(ErrorCode.REQUEST_INVALID.name());
        assertThat(refusalsCounted(ErrorCode.REQUEST_INVALID)).as("counted").isEqualTo(refusedBefore + 1);
        assertThat(certificates.count())
                .as("refused before anything was claimed or issued")
                .isEqualTo(certificatesBefore);

        HttpResponse<String> lean = postRenewal(request, "");
        assertThat(lean.statusCode()).as(lean.body()).isEqualTo(200);
        JsonNode leanBody = JSON.readTree(lean.body());
        assertThat(leanBody.has("chain")).as("no chain, not even null").isFalse();
        assertThat(leanBody.get("state").asString()).isEqualTo(RenewalState.ISSUED.name());

        // The same keys again (idempotent), asking for the chain: the same certificates, and the chain.
        HttpResponse<String> withChain = postRenewal(request, "?include=chain");
        assertThat(withChain.statusCode()).as(withChain.body()).isEqualTo(200);
        RenewalResponse full = JSON.readValue(withChain.body(), RenewalResponse.class);
        assertThat(full.signingCertificate())
                .isEqualTo(leanBody.get("signingCertificate").asString());
        assertThat(full.chain()).hasSize(2).isEqualTo(responses.chain());
        X509Certificate issuing = Card.certificate(full.chain().get(0));
        X509Certificate root = Card.certificate(full.chain().get(1));
        Card.certificate(full.signingCertificate()).verify(issuing.getPublicKey());
        Card.certificate(full.encryptionCertificate()).verify(issuing.getPublicKey());
        issuing.verify(root.getPublicKey());
        assertThat(certificates.count()).isEqualTo(certificatesBefore + 2);

        // The resume (GET) takes the same parameter.
        String id = full.renewalId();
        assertThat(client.renewal(id, renewable.token()).chain()).isNull();
        HttpResponse<String> fetched = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + ApiPaths.renewal(id) + "?include=chain"))
                        .header("Authorization", "Bearer " + renewable.token())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
        assertThat(JSON.readValue(fetched.body(), RenewalResponse.class).chain())
                .isEqualTo(responses.chain());
    }

    private HttpResponse<String> postRenewal(RenewalRequest request, String query) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + ApiPaths.RENEWALS + query))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSameKeysAgainGetTheSameCertificatesWithoutIssuing() throws Exception {
        Renewable renewable = renewableCard();
        Card next = Card.p256();
        RenewalResponse first = client.renew(renewalRequest(renewable.token(), renewable.card(), next));
        long issuedSoFar = certificates.count();

        // ECDSA signatures differ every time: new CSR bytes, same public keys
        RenewalResponse again = client.renew(renewalRequest(renewable.token(), renewable.card(), next));

        assertThat(again).isEqualTo(first);
        assertThat(certificates.count()).isEqualTo(issuedSoFar);
        confirm(first.renewalId(), next);
        RenewalResponse afterCompletion = client.renew(renewalRequest(renewable.token(), renewable.card(), next));
        assertThat(afterCompletion.state()).isEqualTo(RenewalState.COMPLETED);
        assertThat(afterCompletion.signingCertificate()).isEqualTo(first.signingCertificate());
        assertThat(certificates.count()).isEqualTo(issuedSoFar);
    }

    @Test
    void aChallengeIsCountedNotAuditedAndTheStatusRecordNamesIt() throws Exception {
        Card card = Card.p256();
        enroll(card);
        long before = auditRecords.count();
        ChallengeResponse challenge = client.challenge();
        assertThat(auditRecords.count())
                .as("an anonymous challenge adds nothing to the audit trail")
                .isEqualTo(before);

        client.status(statusProof(card, challenge));
        List<AuditRecord> all = auditRecords.all();
        AuditRecord shown = all.get(all.size() - 1);
        assertThat(shown.action()).isEqualTo("STATUS_SHOWN");
        assertThat(shown.detail()).isEqualTo("challenge " + challenge.challengeId());
        assertThat(all).hasSize((int) before + 1);
    }

    @Test
    void aReplayedStatusProofIsRefusedAsUsedOnThisDatabase() throws Exception {
        Card card = Card.p256();
        enroll(card);
        ChallengeResponse challenge = client.challenge();
        StatusRequest proof = statusProof(card, challenge);
        client.status(proof);

        // On PostgreSQL the failed single-use INSERT aborts the status transaction: the answer must still be the
        // refusal (the transaction rolled back), not a failed commit.
        assertRefused(ErrorCode.CHALLENGE_USED, () -> client.status(proof));
    }

    /**
     * The single-use record goes with the COMMIT (issue 14): replays racing the first use wait for its commit and
     * fail theirs, and nothing of a failed one stays, its renewal token and its STATUS_SHOWN included.
     */
    @Test
    void oneStatusProofSentSixTimesAtOnceIsAnsweredOnceAndRefusedAsUsedFiveTimes() throws Exception {
        Card card = Card.p256();
        enroll(card);
        moveIntoWindow(card);
        ChallengeResponse challenge = client.challenge();
        StatusRequest proof = statusProof(card, challenge);
        double refusedBefore = refusalsCounted(ErrorCode.CHALLENGE_USED);
        int senders = 6;
        List<Object> results = sentAtOnce(senders, () -> client.status(proof));

        List<StatusResponse> answered = results.stream()
                .filter(StatusResponse.class::isInstance)
                .map(StatusResponse.class::cast)
                .toList();
        assertThat(answered).hasSize(1);
        assertThat(answered.get(0).status()).isEqualTo(CertificateStatus.RENEWABLE);
        assertThat(results.stream().filter(r -> !(r instanceof StatusResponse)))
                .hasSize(senders - 1)
                .allMatch(ErrorCode.CHALLENGE_USED.name()::equals);
        // the one stored use carries the answered token, and the one STATUS_SHOWN is the answer's
        String challengeKey =
                challenge.challengeId().substring(0, challenge.challengeId().indexOf('.'));
        assertThat(jdbc.sql("SELECT token_sha256 FROM challenge WHERE id = ?")
                        .param(challengeKey)
                        .query(String.class)
                        .list())
                .containsExactly(
                        KeyHash.sha256Hex(answered.get(0).renewalToken().getBytes(StandardCharsets.UTF_8)));
        assertThat(auditRecords.all())
                .filteredOn(r -> ("challenge " + challenge.challengeId()).equals(r.detail()))
                .extracting(AuditRecord::action)
                .containsExactly("STATUS_SHOWN");
        assertThat(refusalsCounted(ErrorCode.CHALLENGE_USED) - refusedBefore).isEqualTo(senders - 1);
        assertThat(client.renew(renewalRequest(answered.get(0).renewalToken(), card, Card.p256()))
                        .state())
                .isEqualTo(RenewalState.ISSUED);
    }

    /**
     * The claim goes with its COMMIT (issue 14): identical requests racing it lose on the pair's one renewal at their
     * commit, then find the winner's renewal and answer with its certificates; the CA signs for one of them.
     */
    @Test
    void oneRenewalRequestSentFourTimesAtOnceIssuesOnePairAndAnswersItFourTimes() throws Exception {
        Renewable renewable = renewableCard();
        RenewalRequest request = renewalRequest(renewable.token(), renewable.card(), Card.p256());
        long certificatesBefore = certificates.count();

        List<Object> results = sentAtOnce(4, () -> client.renew(request));

        assertThat(results).allMatch(RenewalResponse.class::isInstance, "answered, not refused");
        List<RenewalResponse> answers =
                results.stream().map(RenewalResponse.class::cast).toList();
        assertThat(answers).extracting(RenewalResponse::state).containsOnly(RenewalState.ISSUED);
        assertThat(answers)
                .extracting(RenewalResponse::renewalId)
                .containsOnly(answers.get(0).renewalId());
        assertThat(answers)
                .extracting(RenewalResponse::signingCertificate)
                .containsOnly(answers.get(0).signingCertificate());
        assertThat(certificates.count()).as("one pair issued").isEqualTo(certificatesBefore + 2);
    }

    /**
     * The completion goes with its COMMIT and fails it once the renewal is no longer ISSUED (issue 14): confirmations
     * racing the first wait for its commit, find the renewal completed and answer COMPLETED too.
     */
    @Test
    void oneConfirmationSentFourTimesAtOnceCompletesTheRenewalOnceAndAnswersItFourTimes() throws Exception {
        Issued issued = issuedRenewal();
        String renewal = issued.answer().renewalId();

        List<Object> results = sentAtOnce(4, () -> confirm(renewal, issued.next()));

        assertThat(results).allMatch(ConfirmationResponse.class::isInstance, "answered, not refused");
        assertThat(results).extracting(r -> ((ConfirmationResponse) r).state()).containsOnly(RenewalState.COMPLETED);
        // one record per confirmation, each a decision; the first committed with the change, the others after it
        assertThat(auditRecords.all())
                .filteredOn(r -> renewal.equals(r.renewalId()) && r.action().contains("CONFIRM"))
                .extracting(AuditRecord::action, AuditRecord::code)
                .containsOnly(tuple("RENEWAL_CONFIRMED", "COMPLETED"))
                .hasSize(4);
        assertThat(oldPairStatus(renewal)).isEqualTo("SUPERSEDED");
    }

    /**
     * A confirmation that read the renewal ISSUED while another completed it, holding the row meanwhile: its
     * completion, sent with the COMMIT, fails there (issue 14), nothing of its transaction stays (it does not supersede
     * the old pair), and it answers COMPLETED with its own record.
     */
    @Test
    void aConfirmationOvertakenWhileItWaitedForTheRowWritesNothingOfItsOwnAndAnswersCompleted() throws Exception {
        Issued issued = issuedRenewal();
        String renewal = issued.answer().renewalId();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<ConfirmationResponse> confirming = new TransactionTemplate(transactions).execute(status -> {
                jdbc.sql("SELECT id FROM renewal WHERE id = ? FOR UPDATE")
                        .param(renewal)
                        .query(String.class)
                        .single();
                Future<ConfirmationResponse> waiting = pool.submit(() -> confirm(renewal, issued.next()));
                await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> sessionsWaitingForALock() > 0);
                // What a concurrent confirmation writes, without superseding the old pair: that is left to see.
                jdbc.sql("UPDATE renewal SET state = 'COMPLETED', completed_at = ? WHERE id = ?")
                        .params(clock.instant().atOffset(ZoneOffset.UTC), renewal)
                        .update();
                return waiting;
            });

            assertThat(confirming.get(30, TimeUnit.SECONDS).state()).isEqualTo(RenewalState.COMPLETED);
        } finally {
            pool.shutdownNow();
        }
        assertThat(oldPairStatus(renewal))
                .as("its SUPERSEDED went back with its failed completion")
                .isEqualTo("ACTIVE");
        assertThat(auditRecords.all())
                .filteredOn(r -> renewal.equals(r.renewalId()) && r.action().contains("CONFIRM"))
                .extracting(AuditRecord::action, AuditRecord::code)
                .containsExactly(tuple("RENEWAL_CONFIRMED", "COMPLETED"));
    }

    /** The status of the pair {@code renewalId} renews. */
    private String oldPairStatus(String renewalId) {
        return jdbc.sql("SELECT p.status FROM card_pair p JOIN renewal r ON r.old_pair_id = p.id WHERE r.id = ?")
                .param(renewalId)
                .query(String.class)
                .single();
    }

    private long pairCount() {
        return jdbc.sql("SELECT COUNT(*) FROM card_pair").query(Long.class).single();
    }

    /**
     * Sessions waiting for a lock that this session holds (the transaction of the calling thread: poll in that thread),
     * as the database reports them.
     */
    protected long sessionsWaitingForALock() throws SQLException {
        return jdbc.sql(
                        onPostgres()
                                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))"
                                : "SELECT COUNT(*) FROM information_schema.sessions WHERE blocker_id = SESSION_ID()")
                .query(Long.class)
                .single();
    }

    private boolean onPostgres() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return Databases.onPostgres(connection);
        }
    }

    /** {@code call} sent by {@code senders} threads at once: each one's answer, or the code it was refused with. */
    private static List<Object> sentAtOnce(int senders, Callable<Object> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> outcomes = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        return call.call();
                    } catch (RaRefusedException refused) {
                        return refused.code();
                    }
                }));
            }
            start.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : outcomes) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void otherKeysWhileARenewalIsOpenAreAConflict() throws Exception {
        Renewable renewable = renewableCard();
        client.renew(renewalRequest(renewable.token(), renewable.card(), Card.p256()));

        assertRefused(
                ErrorCode.RENEWAL_IN_PROGRESS,
                () -> client.renew(renewalRequest(renewable.token(), renewable.card(), Card.p256())));
    }

    @Test
    void anIssuedRenewalWhoseAnswerWasLostIsResumedAndConfirmed() throws Exception {
        Renewable renewable = renewableCard();
        Card next = Card.p256();
        RenewalResponse lost = client.renew(renewalRequest(renewable.token(), renewable.card(), next));
        long issuedSoFar = certificates.count();
        clock.advance(Duration.ofHours(2)); // the token expired meanwhile

        StatusResponse status = status(renewable.card());
        assertThat(status.status()).isEqualTo(CertificateStatus.RENEWAL_IN_PROGRESS);
        assertThat(status.renewalId()).isEqualTo(lost.renewalId());
        assertThat(status.renewalState()).isEqualTo(RenewalState.ISSUED);
        RenewalResponse resumed = client.renewal(status.renewalId(), status.renewalToken());

        assertThat(resumed).isEqualTo(lost);
        assertThat(certificates.count()).isEqualTo(issuedSoFar);
        assertThat(confirm(resumed.renewalId(), next).state()).isEqualTo(RenewalState.COMPLETED);
    }

    @Test
    void aRenewalLeftRequestedByACrashIsIssuedByTheNextIdenticalRequest() throws Exception {
        Renewable renewable = renewableCard();
        Card next = Card.p256();
        RenewalId crashed = crashAfterClaiming(renewable, next);

        StatusResponse status = status(renewable.card());
        assertThat(status.status()).isEqualTo(CertificateStatus.RENEWAL_IN_PROGRESS);
        assertThat(status.renewalState()).isEqualTo(RenewalState.REQUESTED);
        RenewalResponse issued = client.renew(renewalRequest(status.renewalToken(), renewable.card(), next));

        assertThat(issued.renewalId()).isEqualTo(crashed.toString());
        assertThat(issued.state()).isEqualTo(RenewalState.ISSUED);
        assertThat(confirm(issued.renewalId(), next).state()).isEqualTo(RenewalState.COMPLETED);
    }

    @Test
    void aRenewalLeftRequestedByACrashIsIssuedWhenFetched() throws Exception {
        Renewable renewable = renewableCard();
        Card next = Card.p256();
        RenewalId crashed = crashAfterClaiming(renewable, next);
        long before = certificates.count();

        RenewalResponse fetched = client.renewal(crashed.toString(), renewable.token());

        assertThat(fetched.state()).isEqualTo(RenewalState.ISSUED);
        assertThat(Card.certificate(fetched.signingCertificate()).getPublicKey())
                .isEqualTo(next.signingKeys.getPublic());
        assertThat(certificates.count()).isEqualTo(before + 2);
        assertThat(client.renewal(crashed.toString(), renewable.token())).isEqualTo(fetched);
        assertThat(certificates.count()).isEqualTo(before + 2);
    }

    @Test
    void aRequestedRenewalAbandonedForFifteenMinutesIsTakenOverByNewKeys() throws Exception {
        Renewable renewable = renewableCard();
        Card lost = Card.p256();
        RenewalId crashed = crashAfterClaiming(renewable, lost);
        Card fresh = Card.p256();
        assertRefused(
                ErrorCode.RENEWAL_IN_PROGRESS,
                () -> client.renew(renewalRequest(renewable.token(), renewable.card(), fresh)));

        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        StatusResponse status = status(renewable.card());
        RenewalResponse issued = client.renew(renewalRequest(status.renewalToken(), renewable.card(), fresh));

        assertThat(issued.renewalId()).isEqualTo(crashed.toString());
        assertThat(issued.state()).isEqualTo(RenewalState.ISSUED);
        assertThat(Card.certificate(issued.signingCertificate()).getPublicKey())
                .isEqualTo(fresh.signingKeys.getPublic());
        assertRefused(
                ErrorCode.RENEWAL_IN_PROGRESS,
                () -> client.renew(renewalRequest(status.renewalToken(), renewable.card(), lost)));
    }

    @Test
    void aRenewalTakenOverAfterItWasReadIsNotIssuedForTheKeysItHeldThen() throws Exception {
        Renewable renewable = renewableCard();
        Renewal seen = claimed(renewable, Card.p256());
        Card fresh = Card.p256();
        Renewal takenOver = seen.takenOver(
                KeyHash.of(fresh.signingKeys.getPublic()),
                KeyHash.of(fresh.encryptionKeys.getPublic()),
                Der.of(fresh.signingKeys.getPublic().getEncoded()),
                Der.of(fresh.encryptionKeys.getPublic().getEncoded()),
                clock.instant());
        // Another node took the renewal over (with the fresh keys) after this one read it REQUESTED.
        assertThat(renewals.takeOver(
                        seen.id(),
                        takenOver.signingKeyHash(),
                        takenOver.encryptionKeyHash(),
                        takenOver.signingKey(),
                        takenOver.encryptionKey(),
                        takenOver.requestedAt(),
                        clock.instant().plusSeconds(1)))
                .isTrue();

        assertIssuesNothing(
                seen, ErrorCode.RENEWAL_IN_PROGRESS, "the new pair rolled back with the update that found other keys");
        assertThat(renewals.find(seen.id()).orElseThrow()).isEqualTo(takenOver);
        RenewalIssuance.Issuance issued = issuance.issue(takenOver, pairs.load(seen.oldPair()), ClientAddress.UNKNOWN);
        assertThat(issued.renewal().state()).isEqualTo(RenewalState.ISSUED);
        assertThat(issued.certificates())
                .extracting(c -> c.keyHash())
                .containsExactly(
                        KeyHash.of(fresh.signingKeys.getPublic()), KeyHash.of(fresh.encryptionKeys.getPublic()));
        assertThat(renewals.find(seen.id()).orElseThrow()).isEqualTo(issued.renewal());
    }

    @Test
    void aKeyCertifiedForAnotherCardWhileTheCaSignedIsRefusedAndNothingOfTheIssuanceStays() throws Exception {
        Renewable renewable = renewableCard();
        Renewal claim = claimed(renewable, Card.p256());
        // A race the claim's own check cannot see: another card's certificate for the claim's new signing key, stored
        // after the claim (on another node, between the claim and the issuance).
        long otherPair = certificates
                .findBySerial(renewableCard().card().serial())
                .orElseThrow()
                .pairId()
                .value();
        jdbc.sql("UPDATE certificate SET spki_sha256 = ? WHERE pair_id = ? AND kind = 'SIGNING'")
                .params(claim.signingKeyHash().hex(), otherPair)
                .update();
        // On PostgreSQL the certificates went with the COMMIT, which the UNIQUE key hash failed; on H2 their INSERT.
        assertIssuesNothing(claim, ErrorCode.KEY_NOT_NEW, "the new pair rolled back with the certificates");
        assertThat(renewals.find(claim.id()).orElseThrow().state()).isEqualTo(RenewalState.REQUESTED);
    }

    /** Issuing {@code renewal} is refused with {@code code}, and neither a pair nor a certificate of it stays. */
    private void assertIssuesNothing(Renewal renewal, ErrorCode code, String why) {
        long certificatesBefore = certificates.count();
        long pairsBefore = pairCount();

        RaException refused = catchThrowableOfType(
                RaException.class, () -> issuance.issue(renewal, pairs.load(renewal.oldPair()), ClientAddress.UNKNOWN));

        assertThat(refused.code()).isEqualTo(code);
        assertThat(certificates.count()).isEqualTo(certificatesBefore);
        assertThat(pairCount()).as(why).isEqualTo(pairsBefore);
    }

    /** What a server that stopped right after committing REQUESTED leaves behind. */
    private RenewalId crashAfterClaiming(Renewable renewable, Card next) {
        return claimed(renewable, next).id();
    }

    private Renewal claimed(Renewable renewable, Card next) {
        Renewal claim = claimOf(renewable, next);
        renewals.claim(claim);
        return claim;
    }

    /** The claim a renewal of {@code renewable} with {@code next}'s keys writes. */
    protected Renewal claimOf(Renewable renewable, Card next) {
        var signing = certificates.findBySerial(renewable.card().serial()).orElseThrow();
        Renewal claim = new Renewal(
                RenewalId.random(),
                signing.pairId(),
                RenewalState.REQUESTED,
                KeyHash.of(next.signingKeys.getPublic()),
                KeyHash.of(next.encryptionKeys.getPublic()),
                Der.of(next.signingKeys.getPublic().getEncoded()),
                Der.of(next.encryptionKeys.getPublic().getEncoded()),
                null,
                clock.instant(),
                null,
                null);
        return claim;
    }
}
