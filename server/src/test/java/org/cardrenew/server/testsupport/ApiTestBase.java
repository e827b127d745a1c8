package org.cardrenew.server.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.ConfirmationRequest;
import org.cardrenew.protocol.ConfirmationResponse;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.EnrollmentResponse;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.RaRefusedException;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.server.CardRenewServer;
import org.cardrenew.server.audit.AuditChainer;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.store.AuditRepository;
import org.cardrenew.server.store.CertificateRepository;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real server on a random port with a {@link MutableClock}, driven through the protocol's {@link RaClient} like the
 * agent drives it. Subclasses choose the database ({@link OnH2}, or {@link #usePostgres}).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = {CardRenewServer.class, TestClockConfiguration.class},
        properties = {
            "cardrenew.admin.token=" + ApiTestBase.ADMIN_TOKEN,
            "cardrenew.ca.keystore-password=test-ca-password",
            "cardrenew.ca.key-type=p256",
            "logging.level.org.cardrenew.server.audit=WARN",
            // every test class of a context calls from 127.0.0.1: the limits have their own tests (access)
            "cardrenew.rate-limit.per-address=1000000",
            "cardrenew.rate-limit.sign-in-per-address=1000000",
            // expiry reminders are driven by their own tests (notify), never by the schedule in API tests
            "cardrenew.reminders.enabled=false"
        })
public abstract class ApiTestBase {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    @LocalServerPort
    protected int port;

    @Autowired
    protected MutableClock clock;

    @Autowired
    protected CertificateRepository certificates;

    @Autowired
    private AuditRepository auditRepository;

    @Autowired
    private AuditChainer auditChainer;

    /** The audit trail, every record written so far chained first. */
    protected ChainedAudit auditRecords;

    @Autowired
    protected AuditLog audit;

    @Autowired
    protected io.micrometer.core.instrument.MeterRegistry meters;

    protected RaClient client;
    protected final HttpClient http = HttpClient.newHttpClient();

    /** A fresh PostgreSQL schema and data directory for the calling test class (its own Spring context). */
    protected static void usePostgres(DynamicPropertyRegistry registry) throws IOException {
        usePostgres(registry, PostgresSchema.fresh());
    }

    protected static void usePostgres(DynamicPropertyRegistry registry, PostgresSchema schema) throws IOException {
        Path dataDir = Files.createTempDirectory("cardrenew-pg");
        registry.add("spring.datasource.url", schema::url);
        // as in production (docs/OPERATIONS.md): Flyway migrates as the owner, the server runs as a role that may
        // only append to and read the audit trail
        registry.add("spring.flyway.user", schema::user);
        registry.add("spring.flyway.password", schema::password);
        registry.add("spring.datasource.username", schema::applicationUser);
        registry.add("spring.datasource.password", schema::applicationPassword);
        registry.add("cardrenew.data-dir", dataDir::toString);
    }

    @BeforeEach
    void startAtTheBeginning() {
        clock.reset();
        auditRecords = new ChainedAudit(auditRepository, auditChainer);
        client = new RaClient(URI.create("http://localhost:" + port), "en");
    }

    protected static String holderId() {
        return "T"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    }

    /** Enrolls the card with the server's default validity (730 days) from the clock's now. */
    protected EnrollmentResponse enroll(Card card) throws Exception {
        return enroll(card, holderId(), null, null);
    }

    protected EnrollmentResponse enroll(Card card, String holderId, Instant notBefore, Instant notAfter)
            throws Exception {
        EnrollmentResponse response = client.enroll(
                new EnrollmentRequest(
                        holderId,
                        "王小明",
                        "內政部",
                        "xiaoming@example.gov.tw",
                        "zh-TW",
                        Csrs.of(card.signingKeys, placeholder()),
                        Csrs.of(card.encryptionKeys, placeholder()),
                        notBefore,
                        notAfter),
                ADMIN_TOKEN);
        card.install(response.signingCertificate(), response.encryptionCertificate());
        return response;
    }

    /** Enrollment ignores the CSR subject; cards send whatever they like there. */
    private static javax.security.auth.x500.X500Principal placeholder() {
        return new javax.security.auth.x500.X500Principal("CN=enrollment");
    }

    /** Moves the clock into the renewal window of the card's certificate (10 days before notAfter). */
    protected void moveIntoWindow(Card card) {
        clock.set(card.signing.getNotAfter().toInstant().minus(java.time.Duration.ofDays(10)));
    }

    protected StatusResponse status(Card card) throws Exception {
        return client.status(statusProof(card, client.challenge()));
    }

    /** The card's answer to a status challenge: its signing certificate and its signature of the status payload. */
    protected static StatusRequest statusProof(Card card, ChallengeResponse challenge) {
        return new StatusRequest(
                challenge.challengeId(),
                card.signingCertificateBase64(),
                card.sign(SignedPayloads.status(challenge.nonce())),
                card.algorithm());
    }

    /** A one-time challenge for an officer's console sign-in (POST /api/v1/challenges?purpose=console-sign-in). */
    protected ChallengeResponse signInChallenge() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/api/v1/challenges?purpose=console-sign-in"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        java.util.regex.Matcher id =
                java.util.regex.Pattern.compile("\"challengeId\":\"([^\"]+)\"").matcher(response.body());
        java.util.regex.Matcher nonce =
                java.util.regex.Pattern.compile("\"nonce\":\"([^\"]+)\"").matcher(response.body());
        assertThat(id.find() && nonce.find()).as(response.body()).isTrue();
        return new ChallengeResponse(id.group(1), nonce.group(1), null);
    }

    /** The two CSRs a card makes for its next generation: new keys, the current subjects. */
    protected RenewalRequest renewalRequest(String token, Card current, Card next) {
        return new RenewalRequest(
                token,
                Csrs.of(next.signingKeys, current.signing.getSubjectX500Principal()),
                Csrs.of(next.encryptionKeys, current.encryption.getSubjectX500Principal()));
    }

    protected ConfirmationResponse confirm(String renewalId, Card next) throws Exception {
        return client.confirm(
                renewalId,
                new ConfirmationRequest(next.sign(SignedPayloads.confirmation(renewalId)), next.algorithm()));
    }

    /** A card that is enrolled and inside its window, with a renewal token. */
    protected Renewable renewableCard() throws Exception {
        Card card = Card.p256();
        enroll(card);
        moveIntoWindow(card);
        StatusResponse status = status(card);
        return new Renewable(card, status.renewalToken());
    }

    /** An enrolled card in its renewal window and the token its status answer carried. */
    public record Renewable(Card card, String token) {}

    /** A renewable card's renewal to {@code next}'s keys, issued and not yet confirmed. */
    protected Issued issuedRenewal() throws Exception {
        Renewable renewable = renewableCard();
        Card next = Card.p256();
        return new Issued(next, client.renew(renewalRequest(renewable.token(), renewable.card(), next)));
    }

    /** The card with the new keys and the renewal's answer (ISSUED). */
    public record Issued(Card next, RenewalResponse answer) {}

    /**
     * Asserts the refusal's code, that nothing was issued, and that the refusal was audited with that code or, refused
     * before anyone was authenticated, counted (AuditLog keeps those out of the chain).
     */
    protected RaRefusedException assertRefused(ErrorCode expected, RaCall call) {
        long certificatesBefore = certificates.count();
        long auditBefore = auditRecords.count();
        double countedBefore = refusalsCounted(expected);
        RaRefusedException refused = catchThrowableOfType(RaRefusedException.class, call::run);
        assertThat(refused).as("refused with " + expected).isNotNull();
        assertThat(refused.code()).isEqualTo(expected.name());
        assertThat(refused.httpStatus()).isEqualTo(expected.httpStatus());
        assertThat(refused.error().message()).isNotBlank().doesNotContain("Exception");
        assertThat(certificates.count()).as("nothing issued").isEqualTo(certificatesBefore);
        if (auditRecords.count() > auditBefore) {
            assertThat(lastAudit().code()).isEqualTo(expected.name());
            assertThat(lastAudit().outcome()).isEqualTo("REFUSED");
        } else {
            assertThat(refusalsCounted(expected))
                    .as("an unauthenticated refusal is counted (not chained)")
                    .isGreaterThan(countedBefore);
        }
        return refused;
    }

    /** Refusals with the code in cardrenew_decisions_total, whatever the action (AuditLog counts every decision). */
    protected double refusalsCounted(ErrorCode code) {
        return meters.find("cardrenew.decisions").tag("outcome", "REFUSED").tag("code", code.name()).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }

    protected AuditRecord lastAudit() {
        List<AuditRecord> all = auditRecords.all();
        return all.get(all.size() - 1);
    }

    protected HttpResponse<String> post(String path, String json, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A call to the RA that may be refused. */
    @FunctionalInterface
    public interface RaCall {
        void run() throws Exception;
    }
}
