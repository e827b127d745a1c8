package org.cardrenew.agent.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.testing.CardFixtures;
import org.cardrenew.agent.testing.TestCa;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** POST /v1/sign-in over real HTTP on SoftHSM2 cards: the console sign-in proof, and nothing else. */
class CardBridgeSignInTest {

    private static final Instant NOW = Instant.parse("2026-11-20T08:00:00Z");
    private static final String ORIGIN = "https://console.example";
    private static final String FOREIGN = "https://evil.example";
    private static final String NONCE = "q3Xh0cV5mX2kq1Rk7Yb3n9Jw8lT4uE6sA0dF2gH5jK8";
    private static final TestCa CA = TestCa.create();
    private static final Map<String, Token> TOKENS = new LinkedHashMap<>();
    private static final Map<String, Map<KeyPurpose, X509Certificate>> ISSUED = new LinkedHashMap<>();

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private CardBridge bridge;

    @BeforeAll
    static void cards() throws Exception {
        SoftHsm hsm = SoftHsm.forThisJvm();
        for (String name : new String[] {"officer-ec", "officer-rsa"}) {
            TOKENS.put(name, hsm.createToken(name, "123456"));
        }
        ISSUED.put(
                "officer-ec",
                CardFixtures.enrol(
                        TOKENS.get("officer-ec"),
                        CA,
                        KeySpec.EC_P256,
                        TestCa.holder("測試機關", "林警官", "B123456789"),
                        NOW.minus(Duration.ofDays(30)),
                        NOW.plus(Duration.ofDays(300))));
        ISSUED.put(
                "officer-rsa",
                CardFixtures.enrol(
                        TOKENS.get("officer-rsa"),
                        CA,
                        KeySpec.RSA_2048,
                        TestCa.holder("測試機關", "陳警官", "C123456789"),
                        NOW.minus(Duration.ofDays(30)),
                        NOW.plus(Duration.ofDays(300))));
    }

    @BeforeEach
    void start() throws Exception {
        BridgeSettings settings =
                new BridgeSettings(Path.of(TOKENS.get("officer-ec").library()), 0, AllowedOrigins.of(List.of(ORIGIN)));
        bridge = CardBridge.start(
                settings,
                Duration.ofSeconds(20),
                Clock.fixed(NOW, ZoneOffset.UTC),
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void aForeignOriginIsRefusedBeforeTheCard() throws Exception {
        HttpResponse<String> response =
                post("{\"token\":\"officer-ec\",\"pin\":\"000000\",\"nonce\":\"" + NONCE + "\"}", FOREIGN);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(json.readTree(response.body()).get("code").asString()).isEqualTo("ORIGIN_REFUSED");
        // No login was tried: the right PIN still works at once and no PIN reached the log.
        assertThat(post("{\"token\":\"officer-ec\",\"pin\":\"123456\",\"nonce\":\"" + NONCE + "\"}", ORIGIN)
                        .statusCode())
                .isEqualTo(200);
        assertThat(log.toString(StandardCharsets.UTF_8))
                .doesNotContain("000000")
                .doesNotContain("123456");
    }

    @Test
    void theSignatureIsAConsoleSignInProofNotAStatusProofAndVerifiesWithTheCardsSigningCertificate() throws Exception {
        for (String name : TOKENS.keySet()) {
            HttpResponse<String> response =
                    post("{\"token\":\"" + name + "\",\"pin\":\"123456\",\"nonce\":\"" + NONCE + "\"}", ORIGIN);
            assertThat(response.statusCode()).as(name).isEqualTo(200);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
                    .hasValue(ORIGIN);
            JsonNode proof = json.readTree(response.body());
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(
                            Base64.getDecoder().decode(proof.get("certificate").asString())));
            assertThat(certificate).isEqualTo(ISSUED.get(name).get(KeyPurpose.SIGNING));
            Signature verifier =
                    Signature.getInstance(proof.get("signatureAlgorithm").asString());
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(SignedPayloads.consoleSignIn(NONCE));
            assertThat(verifier.verify(
                            Base64.getDecoder().decode(proof.get("signature").asString())))
                    .as(name)
                    .isTrue();
            // The same signature is no status proof: it can never earn a renewal token.
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(SignedPayloads.status(NONCE));
            assertThat(verifier.verify(
                            Base64.getDecoder().decode(proof.get("signature").asString())))
                    .as(name)
                    .isFalse();
        }
    }

    @Test
    void aWrongPinIsRefusedOnceAndNotRetried() throws Exception {
        HttpResponse<String> response =
                post("{\"token\":\"officer-ec\",\"pin\":\"999999\",\"nonce\":\"" + NONCE + "\"}", ORIGIN);
        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode error = json.readTree(response.body());
        assertThat(error.get("code").asString()).isEqualTo("WRONG_PIN");
        assertThat(error.has("certificate")).isFalse();
        // One login per request: exactly one request line, and the card is free for the holder's own next try. The
        // bridge writes its line once the answer is sent, so the line may follow the answer by a moment.
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(log.toString(StandardCharsets.UTF_8)
                                .lines()
                                .filter(l -> l.startsWith("POST /v1/sign-in")))
                        .hasSize(1));
        assertThat(post("{\"token\":\"officer-ec\",\"pin\":\"123456\",\"nonce\":\"" + NONCE + "\"}", ORIGIN)
                        .statusCode())
                .isEqualTo(200);
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("999999");
    }

    @Test
    void onlyANonceIsSignedNeverArbitraryText() throws Exception {
        HttpResponse<String> response =
                post("{\"token\":\"officer-ec\",\"pin\":\"123456\",\"nonce\":\"pay 1000 to\\nmallory now\"}", ORIGIN);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).has("signature")).isFalse();
    }

    private HttpResponse<String> post(String body, String from) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(bridge.uri() + "/v1/sign-in"))
                        .header("Origin", from)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
