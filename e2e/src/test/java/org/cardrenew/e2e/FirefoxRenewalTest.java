package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cardrenew.agent.bridge.AllowedOrigins;
import org.cardrenew.agent.bridge.BridgeSettings;
import org.cardrenew.agent.bridge.CardBridge;
import org.cardrenew.testkit.Ports;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The renewal in Firefox ESR (Debian's firefox-esr, headless), the other browser engine holders use: the real
 * server's page, the card bridge on loopback and a SoftHSM2 card, driven over WebDriver BiDi by puppeteer-core
 * from npm (src/test/node/firefox-renewal.cjs; geckodriver is not packaged in Debian). Both PINs are typed into
 * the page; pkcs11-tool checks the card afterwards.
 */
class FirefoxRenewalTest {

    private static final String PIN = "123456";
    private static final String PUPPETEER_VERSION = "24.43.1";
    private static final Path PUPPETEER_DIR = Path.of("target", "puppeteer");
    private static Token card;
    private static ServerUnderTest server;
    private static CardBridge bridge;
    private static Path puppeteer;

    @BeforeAll
    static void start() throws Exception {
        card = SoftHsm.forThisJvm().createToken("FIREFOX-RENEW", PIN);
        int bridgePort = Ports.forLaterBind();
        System.setProperty("cardrenew.bridge.url", "http://127.0.0.1:" + bridgePort);
        server = ServerUnderTest.start(ServerUnderTest.Database.H2);
        Instant now = Instant.now();
        Cli.Run run = new Cli(server.url(), card)
                .enroll("G123456789", "蔡佩珊", "p256", now.minus(Duration.ofDays(710)), now.plus(Duration.ofDays(20)));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        bridge = CardBridge.start(
                new BridgeSettings(Path.of(card.library()), bridgePort, AllowedOrigins.of(List.of(server.url()))),
                Duration.ofMinutes(2),
                Clock.systemUTC(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        puppeteer = Npm.install(PUPPETEER_DIR, "puppeteer-core", PUPPETEER_VERSION);
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("cardrenew.bridge.url");
        Opened.closeAll(bridge, server);
    }

    @Test
    void aCardIsRenewedInFirefoxEsrThroughThePageAndTheBridge() throws Exception {
        CardObjects before = CardObjects.of(card);
        Files.createDirectories(Browser.SCREENSHOTS);
        Path log = Files.createTempFile("cardrenew-firefox-", ".log");
        ProcessBuilder node = new ProcessBuilder(
                        "node",
                        Path.of("src/test/node/firefox-renewal.cjs")
                                .toAbsolutePath()
                                .toString())
                .redirectError(log.toFile());
        node.environment().put("NODE_PATH", puppeteer.toString());
        node.environment().put("PUPPETEER_SKIP_DOWNLOAD", "true");
        node.environment().put("FIREFOX", System.getenv().getOrDefault("FIREFOX", "/usr/bin/firefox-esr"));
        node.environment().put("PAGE_URL", server.url() + "/?lang=en");
        node.environment().put("CARD_LABEL", card.label());
        node.environment().put("CARD_PIN", PIN);
        node.environment()
                .put("SCREENSHOTS", Browser.SCREENSHOTS.toAbsolutePath().toString());
        Process p = node.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = p.waitFor(240, TimeUnit.SECONDS);
        String err = Files.readString(log);
        Files.delete(log);
        assertThat(ended && p.exitValue() == 0)
                .as("the Firefox run:\n" + out + "\n" + err)
                .isTrue();

        JsonNode result = JsonMapper.builder()
                .build()
                .readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(result.get("browser").asString()).startsWith("firefox/");
        assertThat(result.get("sentence").asString()).contains("renewable online");
        assertThat(result.get("previousUntil").asString())
                .isEqualTo(result.get("oldUntil").asString());
        assertThat(result.get("newUntil").asString())
                .isNotBlank()
                .isNotEqualTo(result.get("oldUntil").asString());
        // OpenSC's pkcs11-tool sees the two new certificates, each with its key, and no public key left over.
        CardObjects after = CardObjects.of(card);
        List<String> added = after.certificateIds().stream()
                .filter(id -> !before.certificateIds().contains(id))
                .toList();
        assertThat(added).hasSize(2);
        assertThat(after.privateKeyIds()).containsAll(added);
        assertThat(after.publicKeyIds()).isEmpty();
    }
}
