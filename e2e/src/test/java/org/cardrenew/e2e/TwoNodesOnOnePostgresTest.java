package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.EnrollmentResponse;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.RaRefusedException;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two server nodes — separate JVMs from the built exec jar — on one PostgreSQL schema, set up as docs/OPERATIONS.md
 * says: Flyway as the owner role, the nodes as the restricted application role, one CA PKCS#12 and one {@code audit/}
 * directory shared by both, the first node started first. Cards are renewed through both at once, one card through
 * both at the same moment; the audit chain, the reminder outbox and the per-node rate limits are checked across them.
 */
class TwoNodesOnOnePostgresTest {

    private static final String ADMIN_TOKEN = ServerUnderTest.ADMIN_TOKEN;
    /** Status checks per signing certificate and period, on each node (docs/OPERATIONS.md: counters per node). */
    private static final int PER_CERTIFICATE_LIMIT = 4;
    /** Rounds of the same-card race through both nodes. */
    private static final int RACES = 8;

    static SoftHsm hsm;
    static GreenMail smtp;
    static ServerNode a;
    static ServerNode b;
    static String pgUrl;
    static ServerUnderTest.TestSchema testSchema;
    static String pgUser;
    static String pgPassword;
    static final List<Token> cardsViaA = new ArrayList<>();
    static final List<Token> cardsViaB = new ArrayList<>();
    static final List<Token> dueForReminder = new ArrayList<>();
    static Token renewedThroughBoth;
    static Token limited;

    @BeforeAll
    static void start() throws Exception {
        // Cards first: SoftHSM2 reads its token directory at the JVM's first PKCS#11 call.
        hsm = SoftHsm.forThisJvm();
        for (int i = 0; i < 3; i++) {
            cardsViaA.add(hsm.createToken("NODE-A-" + i, "123456"));
            cardsViaB.add(hsm.createToken("NODE-B-" + i, "123456"));
        }
        for (int i = 0; i < 2; i++) {
            dueForReminder.add(hsm.createToken("REMIND-" + i, "123456"));
        }
        renewedThroughBoth = hsm.createToken("BOTH-NODES", "123456");
        limited = hsm.createToken("LIMITED", "123456");

        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();

        String base = env("CARDRENEW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/cardrenew_test");
        pgUser = env("CARDRENEW_TEST_PG_USER", "cardrenew_test");
        pgPassword = env("CARDRENEW_TEST_PG_PASSWORD", "cardrenew_test");
        String schema =
                "twonodes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(base, pgUser, pgPassword);
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        testSchema = new ServerUnderTest.TestSchema(base, pgUser, pgPassword, schema);
        pgUrl = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;

        Path work = Files.createTempDirectory("cardrenew-two-nodes-");
        Path shared = Files.createDirectories(work.resolve("shared"));
        Path dataA = Files.createDirectories(work.resolve("node-a"));
        Path dataB = Files.createDirectories(work.resolve("node-b"));
        // "put the same audit/ directory on every node (like a PKCS#12 CA)" (docs/AUDIT.md): here a link to shared
        // storage
        Files.createSymbolicLink(dataA.resolve("audit"), Files.createDirectories(shared.resolve("audit")));
        Files.createSymbolicLink(dataB.resolve("audit"), shared.resolve("audit"));
        List<String> arguments = List.of(
                "--spring.datasource.url=" + pgUrl,
                "--spring.datasource.username=" + env("CARDRENEW_TEST_PG_APP_USER", "cardrenew_test_app"),
                "--spring.flyway.user=" + pgUser,
                "--cardrenew.ca.keystore-path=" + shared.resolve("ca.p12"),
                "--cardrenew.ca.key-type=p256",
                "--cardrenew.enrollment.allow-explicit-validity=true",
                // Reminders 10 days before notAfter: the renewal cards (20 days left) are not due, the others are.
                "--cardrenew.reminders.offsets=10",
                "--cardrenew.reminders.initial-delay=PT1S",
                "--cardrenew.reminders.scan-interval=PT1S",
                "--cardrenew.reminders.send-interval=PT1S",
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + smtp.getSmtp().getPort(),
                // An hour-long period: no refill while the test runs, so the counts below are exact.
                "--cardrenew.rate-limit.period=PT1H",
                "--cardrenew.rate-limit.per-certificate=" + PER_CERTIFICATE_LIMIT);
        Map<String, String> env = Map.of(
                "CARDRENEW_ADMIN_TOKEN",
                ADMIN_TOKEN,
                "CARDRENEW_CA_KEYSTORE_PASSWORD",
                "two-nodes-ca-password",
                "CARDRENEW_CONSOLE_TOTP_ENCRYPTION_KEY",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "SPRING_DATASOURCE_PASSWORD",
                env("CARDRENEW_TEST_PG_APP_PASSWORD", "cardrenew_test_app"),
                "SPRING_FLYWAY_PASSWORD",
                pgPassword);
        // The first node migrates and creates the CA and the audit key; the second loads them (docs/OPERATIONS.md).
        a = ServerNode.start(dataA, arguments, env).awaitHealthy(Duration.ofSeconds(90));
        b = ServerNode.start(dataB, arguments, env).awaitHealthy(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (testSchema != null) {
            testSchema.drop();
        }
    }

    @Test
    void cardsRenewedThroughBothNodesAtOnceAreIssuedOnceAndTheAuditChainVerifies() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Token> all = new ArrayList<>(cardsViaA);
        all.addAll(cardsViaB);
        all.add(renewedThroughBoth);
        for (Token card : all) {
            enroll(card, now.plus(Duration.ofDays(20)));
        }

        ExecutorService pool = Executors.newFixedThreadPool(all.size() + 1);
        try {
            List<Future<Cli.Run>> viaA = submitRenewals(pool, a, cardsViaA);
            List<Future<Cli.Run>> viaB = submitRenewals(pool, b, cardsViaB);
            // Two agents, one card: each its own JVM, as two processes on the holder's PC would be (in one JVM they
            // would
            // share the token's PKCS#11 login, and one's logout would end the other's).
            Future<Cli.Run> sameCardA = pool.submit(() -> renewInOwnJvm(a, renewedThroughBoth));
            Future<Cli.Run> sameCardB = pool.submit(() -> renewInOwnJvm(b, renewedThroughBoth));
            for (Future<Cli.Run> f : concat(viaA, viaB)) {
                Cli.Run run = f.get();
                assertThat(run.exitCode()).as(run + logs()).isZero();
            }
            List<Cli.Run> same = List.of(sameCardA.get(), sameCardB.get());
            List<Cli.Run> renewed = same.stream().filter(r -> r.exitCode() == 0).toList();
            // Exactly one of the two concurrent renewals of one card wins; the other is refused with a stable
            // code: CARD_BUSY while the winner's process has the card open (the agent's per-card lock), or, if it
            // opens the card after the winner closed it, by the status check (the card's pair is the new one).
            assertThat(renewed).as(same + logs()).hasSize(1);
            Cli.Run refused =
                    same.stream().filter(r -> r.exitCode() != 0).findFirst().orElseThrow();
            assertThat(refused.out() + refused.err())
                    .as(refused.toString())
                    .containsPattern("\"status\":\"(ALREADY_RENEWED|NOT_YET_RENEWABLE)\"|\"result\":\"CARD_BUSY\"");
            // The card holds the same pair and history as a card one agent renewed alone.
            CardObjects both = CardObjects.of(renewedThroughBoth);
            CardObjects alone = CardObjects.of(cardsViaA.get(0));
            assertThat(both.certifiedKeyIds())
                    .as("keys of the current pair " + same)
                    .hasSameSizeAs(alone.certifiedKeyIds());
            assertThat(both.certificateIds()).as("certificates " + same).hasSameSizeAs(alone.certificateIds());
            // One agent at a time on the card (the per-card lock): nothing generated by a loser stays behind.
            assertThat(both.pendingKeyIds())
                    .as("keys without a certificate " + same)
                    .isEmpty();
            assertThat(both.historyKeyIds()).as("history keys").hasSameSizeAs(alone.historyKeyIds());
            assertThat(both.historyCertificateIds())
                    .as("history certificates")
                    .hasSameSizeAs(alone.historyCertificateIds());
        } finally {
            pool.shutdownNow();
        }

        for (Token card : all) {
            String holder = holderOf(card);
            // Enrolled with two certificates, renewed once: two more. A double issuance would show here.
            assertThat(count(
                            "SELECT COUNT(*) FROM certificate c JOIN card_pair p ON p.id = c.pair_id WHERE p.holder_id = ?",
                            holder))
                    .as(holder)
                    .isEqualTo(4);
            assertThat(count(
                            "SELECT COUNT(*) FROM renewal r JOIN card_pair p ON p.id = r.old_pair_id "
                                    + "WHERE p.holder_id = ? AND r.state = 'COMPLETED'",
                            holder))
                    .as(holder)
                    .isEqualTo(1);
        }

        // Each node's chainer links the records its requests wrote, in moments.
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM audit_pending", null) == 0);
        for (ServerNode node : List.of(a, b)) {
            HttpResponse<String> verified = admin(node, "GET", "/api/v1/admin/audit/verification");
            assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
            assertThat(verified.body()).contains("\"ok\":true");
        }
        // One chain: consecutive sequence numbers with no gap, whichever node appended. One statement, one snapshot:
        // the nodes keep chaining (reminder scans and deliveries every second), so two separate counts could differ
        // by records chained in between (seen once: 108 rows against a range of 110).
        assertThat(count("SELECT (MAX(seq) - MIN(seq) + 1) - COUNT(*) FROM audit_event", null))
                .as("sequence numbers missing from the chain")
                .isZero();
    }

    /**
     * The same card's renewal through both nodes at the same instant, {@value #RACES} times (issue 13 review): each round
     * a new card (software keys) gets a renewal token from each node, then two threads released together by a barrier
     * send a renewal with other new keys to each node. Both requests pass the RA's checks while neither has claimed the
     * pair, so only the database's single renewal slot per pair (UNIQUE renewal.old_pair_id) decides: exactly one is
     * issued, the other is refused RENEWAL_IN_PROGRESS (or ALREADY_RENEWED once the winner completed), and the card
     * has one renewal and two new certificates. Without that guard the test fails (both issued).
     */
    @Test
    void theSameCardRenewedThroughBothNodesAtTheSameInstantIsIssuedOnceEveryTime() throws Exception {
        RaClient viaA = new RaClient(URI.create(a.url()), "en");
        RaClient viaB = new RaClient(URI.create(b.url()), "en");
        Instant notAfter = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(20));
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < RACES; round++) {
                KeyPair signing = p256();
                String holder =
                        "R" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
                EnrollmentResponse enrolled = viaA.enroll(
                        new EnrollmentRequest(
                                holder,
                                "王小明",
                                "數位發展部",
                                null,
                                "zh-TW",
                                csr(signing, new X500Principal("CN=x")),
                                csr(p256(), new X500Principal("CN=x")),
                                notAfter.minus(Duration.ofDays(730)),
                                notAfter),
                        ADMIN_TOKEN);
                X500Principal subject =
                        certificate(enrolled.signingCertificate()).getSubjectX500Principal();
                RenewalRequest throughA =
                        new RenewalRequest(token(viaA, signing, enrolled), csr(p256(), subject), csr(p256(), subject));
                RenewalRequest throughB =
                        new RenewalRequest(token(viaB, signing, enrolled), csr(p256(), subject), csr(p256(), subject));
                CyclicBarrier together = new CyclicBarrier(2);
                Future<String> answerA = two.submit(() -> renewAt(together, viaA, throughA));
                Future<String> answerB = two.submit(() -> renewAt(together, viaB, throughB));
                List<String> answers = List.of(answerA.get(), answerB.get());

                assertThat(answers)
                        .as("round %d: %s%s", round, answers, logs())
                        .containsOnlyOnce("ISSUED")
                        .containsAnyOf("RENEWAL_IN_PROGRESS", "ALREADY_RENEWED");
                assertThat(count(
                                "SELECT COUNT(*) FROM certificate c JOIN card_pair p ON p.id = c.pair_id "
                                        + "WHERE p.holder_id = ?",
                                holder))
                        .as("round %d: certificates of the card", round)
                        .isEqualTo(4);
                assertThat(count(
                                "SELECT COUNT(*) FROM renewal r JOIN card_pair p ON p.id = r.old_pair_id "
                                        + "WHERE p.holder_id = ?",
                                holder))
                        .as("round %d: renewals of the card", round)
                        .isEqualTo(1);
            }
        } finally {
            two.shutdownNow();
        }
    }

    /** The renewal's state, or the refusal's code; sent the moment the other thread is ready too. */
    private static String renewAt(CyclicBarrier together, RaClient node, RenewalRequest request) throws Exception {
        together.await(30, java.util.concurrent.TimeUnit.SECONDS);
        try {
            return node.renew(request).state().name();
        } catch (RaRefusedException refused) {
            return refused.code();
        }
    }

    /** A renewal token from this node's status check, signed by the card's current signing key. */
    private static String token(RaClient node, KeyPair signing, EnrollmentResponse enrolled) throws Exception {
        ChallengeResponse challenge = node.challenge();
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(signing.getPrivate());
        signature.update(SignedPayloads.status(challenge.nonce()));
        StatusResponse status = node.status(new StatusRequest(
                challenge.challengeId(),
                enrolled.signingCertificate(),
                Base64.getEncoder().encodeToString(signature.sign()),
                "SHA256withECDSA"));
        assertThat(status.renewalToken()).as(status.toString()).isNotNull();
        return status.renewalToken();
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String csr(KeyPair keys, X500Principal subject) throws Exception {
        return Base64.getEncoder()
                .encodeToString(new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                        .getEncoded());
    }

    private static X509Certificate certificate(String base64) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    @Test
    void bothNodesScanAndSendButEachDueHolderGetsExactlyOneReminder() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (Token card : dueForReminder) {
            enroll(card, now.plus(Duration.ofDays(9)).plus(Duration.ofHours(12)));
        }
        // Besides their own 1-second schedules, both nodes are asked to scan at the same moment.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (Future<HttpResponse<String>> scan : List.of(
                    pool.submit(() -> admin(a, "POST", "/api/v1/admin/reminders/scans")),
                    pool.submit(() -> admin(b, "POST", "/api/v1/admin/reminders/scans")))) {
                assertThat(scan.get().statusCode()).as(scan.get().body()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> due = dueForReminder.stream()
                .map(c -> holderOf(c).toLowerCase() + "@example.gov.tw")
                .toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> recipients().containsAll(due));
        // Several more rounds of both nodes' schedules: nothing is sent again.
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> true);
        List<String> mailed = recipients().stream().filter(due::contains).toList();
        assertThat(mailed).containsExactlyInAnyOrderElementsOf(due);
    }

    @Test
    void eachNodeCountsItsOwnStatusChecksSoRoundRobinAllowsTwiceTheLimit() throws Exception {
        enroll(limited, Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(20)));
        List<Integer> exits = new ArrayList<>();
        List<String> outs = new ArrayList<>();
        // Round robin over the two nodes, as a load balancer would (docs/OPERATIONS.md: up to N x limit per period).
        for (int i = 0; i < 2 * PER_CERTIFICATE_LIMIT + 2; i++) {
            Cli.Run run = new Cli((i % 2 == 0 ? a : b).url(), limited).status("--json");
            exits.add(run.exitCode());
            outs.add(run.out() + run.err());
        }
        assertThat(exits.subList(0, 2 * PER_CERTIFICATE_LIMIT))
                .as(outs.toString())
                .containsOnly(0);
        assertThat(exits.subList(2 * PER_CERTIFICATE_LIMIT, exits.size()))
                .as(outs.toString())
                .doesNotContain(0);
        assertThat(outs.subList(2 * PER_CERTIFICATE_LIMIT, outs.size()))
                .allMatch(o -> o.contains("RATE_LIMITED"), "refused as RATE_LIMITED");
    }

    private static List<Future<Cli.Run>> submitRenewals(ExecutorService pool, ServerNode node, List<Token> cards) {
        List<Future<Cli.Run>> futures = new ArrayList<>();
        for (Token card : cards) {
            Callable<Cli.Run> renew = () -> new Cli(node.url(), card).renew("--json");
            futures.add(pool.submit(renew));
        }
        return futures;
    }

    /** {@code cardrenew renew} in a JVM of its own (the test's class path), as bin/cardrenew runs it. */
    private static Cli.Run renewInOwnJvm(ServerNode node, Token card) throws Exception {
        Path out = Files.createTempFile("cardrenew-cli-", ".out");
        Path err = Files.createTempFile("cardrenew-cli-", ".err");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--add-exports",
                        "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.cardrenew.agent.cli.CardRenewCommand",
                        "renew",
                        "--server",
                        node.url(),
                        "--module",
                        card.library(),
                        "--token",
                        card.label(),
                        "--pin-env",
                        "CARD_PIN",
                        "--json")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("CARD_PIN", card.userPin());
        builder.environment().put("SOFTHSM2_CONF", card.conf().toString());
        Process process = builder.start();
        assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS))
                .as("cardrenew renew finished")
                .isTrue();
        return new Cli.Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Enrolled through the node its index picks, so both nodes enroll too. */
    private static void enroll(Token card, Instant notAfter) {
        ServerNode node = card.label().hashCode() % 2 == 0 ? a : b;
        Cli.Run enrolled = new Cli(node.url(), card)
                .enroll(holderOf(card), "王小明", "p256", notAfter.minus(Duration.ofDays(730)), notAfter);
        assertThat(enrolled.exitCode()).as(enrolled + logs()).isZero();
    }

    private static String holderOf(Token card) {
        return "N" + String.format("%09d", Math.abs(card.label().hashCode()) % 1_000_000_000);
    }

    private static List<String> recipients() throws Exception {
        List<String> to = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            Address[] addresses = m.getAllRecipients();
            to.addAll(Arrays.stream(addresses)
                    .map(Address::toString)
                    .map(String::toLowerCase)
                    .toList());
        }
        return to;
    }

    private static HttpResponse<String> admin(ServerNode node, String method, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(node.url() + path))
                                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static long count(String sql, String parameter) throws Exception {
        try (Connection c = DriverManager.getConnection(pgUrl, pgUser, pgPassword);
                PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).collect(Collectors.toList());
    }

    private static String logs() {
        return "\n--- node A\n" + (a == null ? "" : a.tail()) + "\n--- node B\n" + (b == null ? "" : b.tail());
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
