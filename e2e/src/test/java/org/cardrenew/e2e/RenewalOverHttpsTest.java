package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.cardrenew.agent.bridge.BridgeSettings;
import org.cardrenew.agent.bridge.CardBridge;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The renewal site as it really is: HTTPS, with a certificate from a root that neither the JDK nor this machine
 * trusts (the server's own CA, {@code cardrenew.tls.enabled=true}). Without that root the command line and the
 * bridge stop at their first call with SERVER_NOT_TRUSTED, naming the presented chain, before the PIN is used or
 * the card touched ({@code pkcs11-tool} lists the same objects); with it, from {@code --ca-file} or from
 * {@code ca-file=} in agent.properties, they enroll and renew.
 */
class RenewalOverHttpsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static SoftHsm hsm;
    static Token cliCard;
    static Token bridgeCard;
    static Token otherName;
    static ServerUnderTest server;
    static Path root;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        hsm = SoftHsm.forThisJvm();
        cliCard = hsm.createToken("TLS-CLI", "123456");
        bridgeCard = hsm.createToken("TLS-BRIDGE", "123456");
        otherName = hsm.createToken("TLS-NAME", "123456");
        server = ServerUnderTest.startHttps();
        root = server.rootPem();
    }

    @AfterAll
    static void stop() throws Exception {
        Opened.closeAll(server);
        Files.deleteIfExists(root);
    }

    @Test
    void withoutTheRootEnrollStatusAndRenewStopWithServerNotTrustedAndTheCardIsUntouched() throws Exception {
        Cli cli = new Cli(server.url(), cliCard);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String empty = cliCard.listObjects();

        Cli.Run refused =
                cli.enroll("T100000001", "林怡君", "p256", now.minus(Duration.ofDays(710)), now.plus(Duration.ofDays(20)));
        assertNotTrusted(refused, "UNKNOWN_ISSUER");
        assertThat(cliCard.listObjects()).isEqualTo(empty);

        Cli.Run enrolled = cli.enroll(
                "T100000001",
                "林怡君",
                "p256",
                now.minus(Duration.ofDays(710)),
                now.plus(Duration.ofDays(20)),
                "--ca-file",
                root.toString());
        assertThat(enrolled.exitCode()).as(enrolled.toString()).isZero();
        String before = cliCard.listObjects();
        assertThat(CardObjects.of(cliCard).privateKeyIds()).hasSize(2);

        assertNotTrusted(cli.status("--json"), "UNKNOWN_ISSUER");
        assertNotTrusted(cli.renew("--json"), "UNKNOWN_ISSUER");
        Cli.Run human = cli.renew("--lang", "en");
        assertThat(human.exitCode()).isEqualTo(10);
        assertThat(human.err())
                .contains("could not be verified; contact your IT support", "issuer CN=CardRenew Issuing CA")
                .doesNotContain("later");
        assertThat(cliCard.listObjects()).isEqualTo(before);

        Cli.Run status = cli.status("--json", "--ca-file", root.toString());
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("\"status\":\"RENEWABLE\"");
        Cli.Run renewed = cli.renew("--json", "--ca-file", root.toString());
        assertThat(renewed.exitCode()).as(renewed.toString()).isZero();
        assertThat(CardObjects.of(cliCard).privateKeyIds()).hasSize(2).doesNotContainAnyElementsOf(idsIn(before));
    }

    @Test
    void anAddressTheCertificateDoesNotNameIsANameMismatchEvenWithTheRoot() {
        // 127.0.0.2 is this machine too, but not among the certificate's names (localhost, 127.0.0.1, ::1).
        String otherAddress = server.url().replace("localhost", "127.0.0.2");
        String before = otherName.listObjects();

        Cli.Run run = new Cli(otherAddress, otherName).status("--json", "--ca-file", root.toString());

        assertNotTrusted(run, "NAME_MISMATCH");
        assertThat(otherName.listObjects()).isEqualTo(before);
    }

    @Test
    void theBridgeRenewsThroughTheHttpsSiteWithTheRootFromAgentProperties() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Cli.Run enrolled = new Cli(server.url(), bridgeCard)
                .enroll(
                        "T100000002",
                        "陳建宏",
                        "p256",
                        now.minus(Duration.ofDays(710)),
                        now.plus(Duration.ofDays(20)),
                        "--ca-file",
                        root.toString());
        assertThat(enrolled.exitCode()).as(enrolled.toString()).isZero();
        String before = bridgeCard.listObjects();

        // Without the root: the session stops at its first call, with the code the page words, and the chain.
        try (Bridge untrusting = Bridge.start(work.resolve("plain"), "")) {
            JsonNode failed = untrusting.awaitState(untrusting.create(), "FAILED");
            assertThat(failed.get("error").get("code").asString()).isEqualTo("SERVER_NOT_TRUSTED");
            assertThat(failed.get("error").get("reason").asString()).isEqualTo("UNKNOWN_ISSUER");
            assertThat(failed.get("error").get("chain").get(0).get("issuer").asString())
                    .contains("CN=CardRenew Issuing CA");
            assertThat(failed.get("step").asString()).isEqualTo("CHALLENGE");
        }
        assertThat(bridgeCard.listObjects()).isEqualTo(before);

        // The desktop team's agent.properties names the root beside it: the renewal goes through.
        Path folder = Files.createDirectories(work.resolve("configured"));
        Files.copy(root, folder.resolve("agency-root.pem"));
        try (Bridge bridge = Bridge.start(folder, "ca-file=agency-root.pem\n")) {
            String id = bridge.create();
            assertThat(bridge.awaitState(id, "DECIDE")
                            .get("status")
                            .get("status")
                            .asString())
                    .isEqualTo("RENEWABLE");
            assertThat(bridge.post("/v1/sessions/" + id + "/renew", "{}").statusCode())
                    .isEqualTo(200);
            bridge.awaitState(id, "CONFIRM_PIN");
            assertThat(bridge.post("/v1/sessions/" + id + "/pin", "{\"pin\":\"123456\"}")
                            .statusCode())
                    .isEqualTo(200);
            JsonNode done = bridge.awaitState(id, "RENEWED");
            assertThat(Instant.parse(
                            done.get("result").get("renewed").get("notAfter").asString()))
                    .isAfter(now.plus(Duration.ofDays(700)));
        }
        assertThat(CardObjects.of(bridgeCard).privateKeyIds()).hasSize(2).doesNotContainAnyElementsOf(idsIn(before));
    }

    private static void assertNotTrusted(Cli.Run run, String reason) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(10);
        JsonNode answer = JSON.readTree(run.out());
        assertThat(answer.get("code").asString()).isEqualTo("SERVER_NOT_TRUSTED");
        assertThat(answer.get("reason").asString()).isEqualTo(reason);
        assertThat(answer.get("chain").get(0).get("issuer").asString()).contains("CN=CardRenew Issuing CA");
        // Nothing was asked of the card: the progress (on standard error) stopped at the server.
        assertThat(run.err()).doesNotContain("PIN").doesNotContain("金鑰");
    }

    private static List<String> idsIn(String listing) {
        return listing.lines()
                .filter(l -> l.trim().startsWith("ID:"))
                .map(l -> l.trim().substring(3).trim())
                .toList();
    }

    /** The card bridge as the holder runs it: settings from agent.properties, the page's calls over HTTP. */
    private static final class Bridge implements AutoCloseable {
        private final CardBridge bridge;
        private final HttpClient http = HttpClient.newHttpClient();

        private Bridge(CardBridge bridge) {
            this.bridge = bridge;
        }

        static Bridge start(Path folder, String extra) throws Exception {
            Files.createDirectories(folder);
            Path file = Files.writeString(
                    folder.resolve("agent.properties"),
                    "module=" + bridgeCard.library() + "\nallow-origin=" + server.url() + "\n" + extra);
            BridgeSettings settings = BridgeSettings.resolve(null, 0, List.of(), file);
            return new Bridge(CardBridge.start(
                    settings,
                    Duration.ofMinutes(1),
                    Clock.systemUTC(),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        }

        String create() throws Exception {
            HttpResponse<String> created = post(
                    "/v1/sessions", "{\"token\":\"" + bridgeCard.label() + "\",\"pin\":\"123456\",\"lang\":\"en\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            return JSON.readTree(created.body()).get("id").asString();
        }

        JsonNode awaitState(String id, String state) throws Exception {
            long version = -1;
            for (int i = 0; i < 60; i++) {
                JsonNode s = JSON.readTree(send("GET", "/v1/sessions/" + id + "?after=" + version, null)
                        .body());
                if (s.get("state").asString().equals(state)) {
                    return s;
                }
                assertThat(s.get("state").asString()).as(s.toString()).isIn("RUNNING", "DECIDE", "CONFIRM_PIN");
                version = s.get("version").asLong();
            }
            throw new AssertionError("session " + id + " never reached " + state);
        }

        HttpResponse<String> post(String path, String body) throws Exception {
            return send("POST", path, body);
        }

        private HttpResponse<String> send(String method, String path, String body) throws Exception {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(URI.create(bridge.uri() + path)).header("Origin", server.url());
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            bridge.close();
        }
    }
}
