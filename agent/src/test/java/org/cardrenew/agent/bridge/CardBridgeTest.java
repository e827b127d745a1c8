package org.cardrenew.agent.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardContents;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.testing.CardFixtures;
import org.cardrenew.agent.testing.FakeRa;
import org.cardrenew.agent.testing.TestCa;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The card bridge over real HTTP, on SoftHSM2 cards, against a fake RA at the allowed origin. */
class CardBridgeTest {

    private static final Instant NOW = Instant.parse("2026-11-20T08:00:00Z");
    private static final Instant OLD_NOT_BEFORE = Instant.parse("2025-12-10T00:00:00Z");
    private static final Instant OLD_NOT_AFTER = Instant.parse("2026-12-10T00:00:00Z");
    private static final String FOREIGN = "https://evil.example";
    private static final TestCa CA = TestCa.create();
    private static final Map<String, Token> TOKENS = new LinkedHashMap<>();
    private static final Map<String, Map<KeyPurpose, X509Certificate>> OLD = new LinkedHashMap<>();

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private FakeRa ra;
    private CardBridge bridge;
    private String origin;

    @BeforeAll
    static void cards() throws Exception {
        SoftHsm hsm = SoftHsm.forThisJvm();
        for (String name :
                new String[] {"renew", "wrong-pin", "wrong-second-pin", "busy", "not-yet", "foreign", "history"}) {
            TOKENS.put(name, hsm.createToken(name, "123456"));
        }
        for (String name : TOKENS.keySet()) {
            OLD.put(
                    name,
                    CardFixtures.enrol(
                            TOKENS.get(name),
                            CA,
                            KeySpec.EC_P256,
                            TestCa.holder("測試機關", "王小明", "A123456789"),
                            OLD_NOT_BEFORE,
                            OLD_NOT_AFTER));
        }
    }

    @BeforeEach
    void start() throws Exception {
        ra = new FakeRa(CA, NOW);
        OLD.values().forEach(ra::register);
        origin = ra.uri().toString();
        BridgeSettings settings =
                new BridgeSettings(Path.of(TOKENS.get("renew").library()), 0, AllowedOrigins.of(List.of(origin)));
        bridge = CardBridge.start(
                settings,
                Duration.ofSeconds(20),
                Clock.fixed(NOW, ZoneOffset.UTC),
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        bridge.close();
        ra.close();
    }

    @Test
    void anOriginOutsideTheListIsRefusedWithoutAllowOrigin() throws Exception {
        HttpResponse<String> tokens = send("GET", "/v1/tokens", null, FOREIGN);
        assertThat(tokens.statusCode()).isEqualTo(403);
        assertThat(tokens.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(json.readTree(tokens.body()).get("code").asString()).isEqualTo("ORIGIN_REFUSED");

        HttpResponse<String> session =
                send("POST", "/v1/sessions", "{\"token\":\"foreign\",\"pin\":\"000000\"}", FOREIGN);
        assertThat(session.statusCode()).isEqualTo(403);
        assertThat(session.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        // Refused before the card: no session, no login attempt, the card is unchanged.
        assertThat(cardContents("foreign").entries()).hasSize(2);
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("000000");
    }

    @Test
    void theBridgeReportsTheAgentVersionTheBuildMade() throws Exception {
        HttpResponse<String> hello = send("GET", "/v1/bridge", null, origin);
        assertThat(hello.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(hello.body());
        assertThat(body.get("product").asString()).isEqualTo("cardrenew-agent");
        assertThat(body.get("api").asString()).isEqualTo("1");
        // Maven hands the test the project version it built: the bridge reports the build's, not a copy.
        assertThat(body.get("version").asString())
                .isNotBlank()
                .isEqualTo(System.getProperty("cardrenew.expected-version"));
    }

    @Test
    void aRequestWithoutOriginIsRefused() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(bridge.uri().resolve("/v1/bridge")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
    }

    /**
     * Private Network Access browsers (Chrome 94-141) ask with Access-Control-Request-Private-Network and need the
     * answer; Local Network Access browsers (Chrome 142+) ask the holder or a policy instead and send plain CORS.
     */
    @ParameterizedTest(name = "asks for the private network: {0}")
    @ValueSource(booleans = {true, false})
    void aPreflightFromAListedOriginGetsCorsAndThePrivateNetworkAnswerWhenAskedForIt(boolean asks) throws Exception {
        HttpRequest.Builder preflight = HttpRequest.newBuilder(bridge.uri().resolve("/v1/sessions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type");
        if (asks) {
            preflight.header("Access-Control-Request-Private-Network", "true");
        }
        HttpResponse<String> response = http.send(preflight.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
        assertThat(response.headers().firstValue("Access-Control-Allow-Private-Network"))
                .isEqualTo(asks ? java.util.Optional.of("true") : java.util.Optional.empty());
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
                .contains("POST");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                .containsIgnoringCase("content-type");
    }

    @Test
    void aPreflightFromAnOriginOutsideTheListGetsNoAllowOrigin() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(bridge.uri().resolve("/v1/sessions"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", FOREIGN)
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Private-Network", "true")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(response.headers().firstValue("Access-Control-Allow-Private-Network"))
                .isEmpty();
    }

    @Test
    void aHostNameOtherThanLoopbackIsRefused() throws Exception {
        // DNS rebinding: a name that resolves to 127.0.0.1 but is not ours.
        try (Socket socket = new Socket("127.0.0.1", bridge.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/bridge HTTP/1.1\r\nHost: rebind.example:" + bridge.port() + "\r\nOrigin: " + origin
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 403").contains("HOST_REFUSED");
        }
    }

    @Test
    void tokensAreListedWithCertificatesAndPinFlagsWithoutAPin() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/tokens", null, origin);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
        JsonNode renew = null;
        for (JsonNode t : json.readTree(response.body()).get("tokens")) {
            if (t.get("label").asString().equals("renew")) {
                renew = t;
            }
        }
        assertThat(renew).isNotNull();
        assertThat(renew.get("pin").get("locked").asBoolean()).isFalse();
        assertThat(renew.get("certificates")).hasSize(2);
        assertThat(renew.get("certificates").get(0).get("notAfter").asString()).isEqualTo(OLD_NOT_AFTER.toString());
        assertThat(renew.get("unfinishedRenewal").asBoolean()).isFalse();
    }

    @Test
    void aCardIsRenewedStepByStepWithTheSecondPinBeforeTheWrite() throws Exception {
        JsonNode session = create("renew", "123456");
        String id = session.get("id").asString();
        JsonNode decide = awaitState(id, "DECIDE");
        assertThat(decide.get("status").get("status").asString()).isEqualTo("RENEWABLE");
        assertThat(decide.get("status").get("subject").get("distinguishedName").asString())
                .contains("王小明");
        assertThat(decide.get("status").has("renewalToken")).isFalse();
        assertThat(ra.issuedCertificates()).isZero();

        assertThat(post("/v1/sessions/" + id + "/renew", "{}").statusCode()).isEqualTo(200);
        JsonNode confirm = awaitState(id, "CONFIRM_PIN");
        assertThat(confirm.get("step").asString()).isEqualTo("WRITE_TO_CARD");
        assertThat(cardContents("renew").entries()).hasSize(2);

        assertThat(post("/v1/sessions/" + id + "/pin", "{\"pin\":\"123456\"}").statusCode())
                .isEqualTo(200);
        JsonNode done = awaitState(id, "RENEWED");
        assertThat(Instant.parse(
                        done.get("result").get("renewed").get("notAfter").asString()))
                .isAfter(OLD_NOT_AFTER);
        assertThat(done.get("result").get("previous").get("notAfter").asString())
                .isEqualTo(OLD_NOT_AFTER.toString());
        CardContents after = cardContents("renew");
        assertThat(after.entries()).hasSize(2).noneMatch(e -> OLD.get("renew").containsValue(e.certificate()));
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("123456");
    }

    @Test
    void theOldDecryptionKeyIsListedWithoutAPinAndOnlyItCanBeRemovedByTheHolder() throws Exception {
        String id = create("history", "123456").get("id").asString();
        awaitState(id, "DECIDE");
        post("/v1/sessions/" + id + "/renew", "{}");
        awaitState(id, "CONFIRM_PIN");
        post("/v1/sessions/" + id + "/pin", "{\"pin\":\"123456\"}");
        awaitState(id, "RENEWED");
        String old =
                OLD.get("history").get(KeyPurpose.ENCRYPTION).getSerialNumber().toString(16);
        String current = cardContents("history")
                .oldest(KeyPurpose.ENCRYPTION)
                .orElseThrow()
                .certificate()
                .getSerialNumber()
                .toString(16);

        JsonNode listed = token("history");
        assertThat(listed.get("certificates")).hasSize(2);
        assertThat(listed.get("decryptionHistory"))
                .singleElement()
                .satisfies(h -> assertThat(h.get("serial").asString()).isEqualTo(old));

        HttpResponse<String> refused =
                post("/v1/history/remove", "{\"token\":\"history\",\"pin\":\"123456\",\"serial\":\"" + current + "\"}");
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(json.readTree(refused.body()).get("reason").asString()).isEqualTo("NO_SUCH_HISTORY_KEY");
        assertThat(post("/v1/history/remove", "{\"token\":\"history\",\"pin\":\"123456\",\"serial\":\"zz\"}")
                        .statusCode())
                .isEqualTo(400);

        HttpResponse<String> removed =
                post("/v1/history/remove", "{\"token\":\"history\",\"pin\":\"123456\",\"serial\":\"" + old + "\"}");
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(json.readTree(removed.body()).get("removed").get("serial").asString())
                .isEqualTo(old);
        assertThat(json.readTree(removed.body()).get("decryptionHistory")).isEmpty();
        assertThat(cardContents("history").history()).isEmpty();
        assertThat(cardContents("history").entries()).hasSize(2);
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("123456");
    }

    private JsonNode token(String label) throws Exception {
        for (JsonNode t :
                json.readTree(send("GET", "/v1/tokens", null, origin).body()).get("tokens")) {
            if (t.get("label").asString().equals(label)) {
                return t;
            }
        }
        throw new AssertionError("no token " + label);
    }

    @Test
    void aWrongPinEndsTheSessionAndIsNeverRetried() throws Exception {
        String id = create("wrong-pin", "999999").get("id").asString();
        JsonNode failed = awaitState(id, "FAILED");
        assertThat(failed.get("error").get("code").asString()).isEqualTo("WRONG_PIN");
        // SoftHSM2 raises CKF_USER_PIN_COUNT_LOW after a failure; a card may also report nothing.
        assertThat(failed.get("error").get("pinWarning").asString()).isIn("NONE", "COUNT_LOW");
        assertThat(failed.get("step").asString()).isEqualTo("LOGIN");
        // The session takes no other PIN: a new try is the holder's decision, with a new session.
        assertThat(post("/v1/sessions/" + id + "/pin", "{\"pin\":\"123456\"}").statusCode())
                .isEqualTo(409);
        assertThat(cardContents("wrong-pin").entries()).hasSize(2);
        assertThat(ra.issuedCertificates()).isZero();
    }

    @Test
    void aWrongSecondPinWritesNothingAndTheRenewalResumesInANewSession() throws Exception {
        String id = create("wrong-second-pin", "123456").get("id").asString();
        awaitState(id, "DECIDE");
        post("/v1/sessions/" + id + "/renew", "{}");
        awaitState(id, "CONFIRM_PIN");
        post("/v1/sessions/" + id + "/pin", "{\"pin\":\"111111\"}");
        JsonNode failed = awaitState(id, "FAILED");
        assertThat(failed.get("error").get("code").asString()).isEqualTo("WRONG_PIN");
        assertThat(failed.get("step").asString()).isEqualTo("WRITE_TO_CARD");
        CardContents meanwhile = cardContents("wrong-second-pin");
        assertThat(meanwhile.entries())
                .hasSize(2)
                .allMatch(e -> OLD.get("wrong-second-pin").containsValue(e.certificate()));
        int issued = ra.issuedCertificates();

        String again = create("wrong-second-pin", "123456").get("id").asString();
        JsonNode decide = awaitState(again, "DECIDE");
        assertThat(decide.get("status").get("status").asString()).isEqualTo("RENEWAL_IN_PROGRESS");
        post("/v1/sessions/" + again + "/renew", "{}");
        awaitState(again, "CONFIRM_PIN");
        post("/v1/sessions/" + again + "/pin", "{\"pin\":\"123456\"}");
        JsonNode done = awaitState(again, "RENEWED");
        assertThat(done.get("result").get("resumed").asBoolean()).isTrue();
        assertThat(ra.issuedCertificates()).isEqualTo(issued);
    }

    @Test
    void operationsOnOneTokenAreSerialised() throws Exception {
        String first = create("busy", "123456").get("id").asString();
        awaitState(first, "DECIDE");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<HttpResponse<String>>> concurrent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Callable<HttpResponse<String>> call =
                        () -> send("POST", "/v1/sessions", "{\"token\":\"busy\",\"pin\":\"123456\"}", origin);
                concurrent.add(pool.submit(call));
            }
            for (Future<HttpResponse<String>> f : concurrent) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
                assertThat(json.readTree(r.body()).get("code").asString()).isEqualTo("TOKEN_BUSY");
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode tokens =
                json.readTree(send("GET", "/v1/tokens", null, origin).body()).get("tokens");
        for (JsonNode t : tokens) {
            if (t.get("label").asString().equals("busy")) {
                assertThat(t.get("busy").asBoolean()).isTrue();
            }
        }
        // A closing page frees the card with navigator.sendBeacon: text/plain, from the allowed origin.
        HttpResponse<String> beacon = http.send(
                HttpRequest.newBuilder(URI.create(bridge.uri() + "/v1/sessions/" + first + "/cancel"))
                        .header("Origin", origin)
                        .header("Content-Type", "text/plain;charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofString(""))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(beacon.statusCode()).isEqualTo(200);
        awaitState(first, "CANCELLED");
        String next = create("busy", "123456").get("id").asString();
        awaitState(next, "DECIDE");
        post("/v1/sessions/" + next + "/cancel", "{}");
        awaitState(next, "CANCELLED");
        assertThat(ra.issuedCertificates()).isZero();
        assertThat(cardContents("busy").entries()).hasSize(2);
        assertThat(cardContents("busy").pending()).isEmpty();
    }

    @Test
    void aCardNotYetRenewableEndsWithItsStatusAndChangesNothing() throws Exception {
        ra.policy(CertificateStatus.NOT_YET_RENEWABLE);
        String id = create("not-yet", "123456").get("id").asString();
        JsonNode done = awaitState(id, "NOT_RENEWABLE");
        assertThat(done.get("status").get("status").asString()).isEqualTo("NOT_YET_RENEWABLE");
        assertThat(post("/v1/sessions/" + id + "/renew", "{}").statusCode()).isEqualTo(409);
        assertThat(cardContents("not-yet").entries()).hasSize(2);
    }

    private JsonNode create(String token, String pin) throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/v1/sessions",
                "{\"token\":\"" + token + "\",\"pin\":\"" + pin + "\",\"lang\":\"en\"}",
                origin);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private JsonNode awaitState(String id, String state) throws Exception {
        long version = -1;
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> response = send("GET", "/v1/sessions/" + id + "?after=" + version, null, origin);
            JsonNode s = json.readTree(response.body());
            if (s.get("state").asString().equals(state)) {
                return s;
            }
            assertThat(s.get("state").asString()).as(s.toString()).isIn("RUNNING", "DECIDE", "CONFIRM_PIN");
            version = s.get("version").asLong();
        }
        throw new AssertionError("session " + id + " never reached " + state);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body, origin);
    }

    private HttpResponse<String> send(String method, String path, String body, String from) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(bridge.uri() + path)).header("Origin", from);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static CardContents cardContents(String name) throws Exception {
        try (Card card = CardFixtures.login(TOKENS.get(name))) {
            return card.read();
        }
    }
}
