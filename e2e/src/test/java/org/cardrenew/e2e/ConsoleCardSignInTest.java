package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cardrenew.agent.bridge.AllowedOrigins;
import org.cardrenew.agent.bridge.BridgeSettings;
import org.cardrenew.agent.bridge.CardBridge;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.renewal.PinSource;
import org.cardrenew.agent.renewal.RenewalFlow;
import org.cardrenew.agent.renewal.RenewalListener;
import org.cardrenew.agent.renewal.RenewalStep;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.testkit.Ports;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * Issue 7: an officer signs in to the console with the officer's own smart card, in headless Chromium, through the
 * login page and the local card bridge; a card bound to no console user is refused with a clear message; after the
 * officer's own renewal the new certificate signs in and the superseded one is refused (issue 12).
 */
class ConsoleCardSignInTest {

    private static final String PIN = "123456";
    private static final ByteArrayOutputStream BRIDGE_LOG = new ByteArrayOutputStream();
    private static Token officerCard;
    private static Token strangerCard;
    private static Token renewingCard;
    private static ServerUnderTest server;
    private static CardBridge bridge;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        SoftHsm hsm = SoftHsm.forThisJvm();
        officerCard = hsm.createToken("OFFICER-CARD", PIN);
        strangerCard = hsm.createToken("UNBOUND-CARD", PIN);
        renewingCard = hsm.createToken("RENEWING-CARD", PIN);
        int bridgePort = Ports.forLaterBind();
        System.setProperty("cardrenew.bridge.url", "http://127.0.0.1:" + bridgePort);
        server = ServerUnderTest.start(ServerUnderTest.Database.H2);
        Instant now = Instant.now();
        enroll(officerCard, "G123456789", "林雅琪", now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(300)));
        enroll(strangerCard, "G223456789", "蔡宗翰", now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(300)));
        // In its renewal window: the officer renews this card during the test.
        enroll(renewingCard, "G323456789", "吳怡君", now.minus(Duration.ofDays(700)), now.plus(Duration.ofDays(20)));
        // The administrator creates the officer and binds the officer's card, as through the admin API.
        assertThat(admin("/api/v1/admin/console/users", "{\"name\":\"officer.lin\",\"role\":\"OFFICER\"}"))
                .isEqualTo(201);
        assertThat(admin(
                        "/api/v1/admin/console/users/officer.lin/cards",
                        "{\"serial\":\"" + signingSerial("G123456789") + "\"}"))
                .isEqualTo(201);
        assertThat(admin("/api/v1/admin/console/users", "{\"name\":\"officer.wu\",\"role\":\"OFFICER\"}"))
                .isEqualTo(201);
        assertThat(admin(
                        "/api/v1/admin/console/users/officer.wu/cards",
                        "{\"serial\":\"" + signingSerial("G323456789") + "\"}"))
                .isEqualTo(201);
        bridge = CardBridge.start(
                new BridgeSettings(
                        Path.of(officerCard.library()), bridgePort, AllowedOrigins.of(List.of(server.url()))),
                Duration.ofMinutes(2),
                Clock.systemUTC(),
                new PrintStream(BRIDGE_LOG, true, StandardCharsets.UTF_8));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("cardrenew.bridge.url");
        Opened.closeAll(browser, bridge, server);
    }

    @AfterEach
    void signOut() {
        browser.driver.manage().deleteAllCookies();
    }

    @Test
    void anOfficerWithABoundCardSignsInThroughTheBridgeAndLandsOnTheConsoleStartPage() throws Exception {
        language("en");
        browser.open(server.url() + "/console/login");
        cardListed("OFFICER-CARD");
        browser.assertAccessible("console login with card en");
        browser.screenshot("console-card-sign-in-en");
        signInWithCard("OFFICER-CARD", PIN);
        browser.visible("who");
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(server.url() + "/console");
        assertThat(browser.text("who")).contains("officer.lin");
        assertThat(BRIDGE_LOG.toString(StandardCharsets.UTF_8))
                .contains("POST /v1/sign-in 200")
                .doesNotContain(PIN);
        assertThat(server.jdbc()
                        .sql("SELECT COUNT(*) FROM (SELECT action, actor FROM audit_event UNION ALL "
                                + "SELECT action, actor FROM audit_pending) AS recorded "
                                + "WHERE action = 'CONSOLE_SIGNED_IN' AND actor = 'officer.lin'")
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);
    }

    @Test
    void theLoginPageWithTheCardSectionHasNoSeriousOrCriticalViolationInZhTw() throws Exception {
        language("zh-TW");
        browser.open(server.url() + "/console/login");
        cardListed("OFFICER-CARD");
        assertThat(browser.text("card-heading")).isEqualTo("以智慧卡登入");
        browser.assertAccessible("console login with card zh-TW");
        browser.screenshot("console-card-sign-in-zh-TW");
    }

    @Test
    void aCardBoundToNoConsoleUserIsRefusedWithAClearMessage() throws Exception {
        for (String lang : List.of("zh-TW", "en")) {
            language(lang);
            browser.open(server.url() + "/console/login");
            cardListed("UNBOUND-CARD");
            signInWithCard("UNBOUND-CARD", PIN);
            awaitMessage();
            assertThat(browser.text("card-message"))
                    .isEqualTo(
                            lang.equals("en")
                                    ? "Sign-in refused: this card's certificate is not bound to any console account, or is no longer valid. Contact an administrator."
                                    : "登入失敗：這張卡片的憑證沒有綁定到任何主控台帳號，或憑證已失效。請洽管理者。");
            assertThat(browser.driver.getCurrentUrl()).startsWith(server.url() + "/console/login");
            browser.assertAccessible("console card sign-in refused " + lang);
            browser.screenshot("console-card-sign-in-refused-" + lang);
            // Still signed out: the console sends the browser back to the login page.
            browser.open(server.url() + "/console");
            assertThat(browser.driver.getCurrentUrl()).startsWith(server.url() + "/console/login");
        }
    }

    @Test
    void aWrongPinIsReportedAndNotRetried() throws Exception {
        language("en");
        browser.open(server.url() + "/console/login");
        cardListed("OFFICER-CARD");
        long before = BRIDGE_LOG
                .toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.startsWith("POST /v1/sign-in"))
                .count();
        signInWithCard("OFFICER-CARD", "999999");
        awaitMessage();
        assertThat(browser.text("card-message")).startsWith("The PIN is wrong.");
        assertThat(BRIDGE_LOG.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("POST /v1/sign-in")))
                .hasSize((int) before + 1);
    }

    @Test
    void afterTheOfficersOwnRenewalTheNewCertificateSignsInAndTheSupersededOneIsRefused() throws Exception {
        // Renewed up to the confirmation, stopped before the old objects are deleted: the card still holds the old,
        // now superseded, signing certificate, which the bridge presents as the one the RA knows.
        RenewalFlow interrupted = new RenewalFlow(new RaClient(URI.create(server.url()), "en"), new RenewalListener() {
            @Override
            public void stepFinished(RenewalStep finished) {
                if (finished == RenewalStep.CONFIRM) {
                    throw new IllegalStateException("stopped after confirming");
                }
            }
        });
        try (Card opened = Card.open(Path.of(renewingCard.library()), renewingCard.label())) {
            assertThatThrownBy(() -> interrupted.renew(opened, PinSource.of(PIN.toCharArray()), null))
                    .hasMessageContaining("stopped after confirming");
        }
        language("en");
        browser.open(server.url() + "/console/login");
        cardListed("RENEWING-CARD");
        signInWithCard("RENEWING-CARD", PIN);
        awaitMessage();
        assertThat(browser.text("card-message")).startsWith("Sign-in refused");
        assertThat(browser.driver.getCurrentUrl()).startsWith(server.url() + "/console/login");

        // The next run deletes the old objects; the new signing certificate signs in as the same officer.
        Cli.Run finished = new Cli(server.url(), renewingCard).renew("--json");
        assertThat(finished.exitCode()).as(finished.toString()).isZero();
        browser.open(server.url() + "/console/login");
        cardListed("RENEWING-CARD");
        signInWithCard("RENEWING-CARD", PIN);
        browser.visible("who");
        assertThat(browser.text("who")).contains("officer.wu");
        assertThat(server.jdbc()
                        .sql("SELECT COUNT(*) FROM (SELECT action, actor FROM audit_event UNION ALL "
                                + "SELECT action, actor FROM audit_pending) AS recorded "
                                + "WHERE action = 'CONSOLE_SIGNED_IN' AND actor = 'officer.wu'")
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);
    }

    private static void language(String lang) {
        browser.driver.executeCdpCommand("Network.enable", Map.of());
        browser.driver.executeCdpCommand(
                "Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Accept-Language", lang)));
    }

    private static void cardListed(String label) {
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, Duration.ofSeconds(30))
                .until(d -> d.findElements(By.cssSelector("#card-token option[value='" + label + "']"))
                                .size()
                        == 1);
    }

    private static void awaitMessage() {
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, Duration.ofSeconds(30))
                .until(d -> !d.findElement(By.id("card-message")).getText().isBlank());
    }

    private static void signInWithCard(String label, String pin) {
        new Select(browser.driver.findElement(By.id("card-token"))).selectByValue(label);
        browser.driver.findElement(By.id("card-pin")).sendKeys(pin);
        browser.driver.findElement(By.id("card-submit")).click();
    }

    private static void enroll(Token token, String holderId, String name, Instant notBefore, Instant notAfter) {
        Cli.Run run = new Cli(server.url(), token).enroll(holderId, name, "p256", notBefore, notAfter);
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    private static String signingSerial(String holderId) {
        return server.jdbc()
                .sql("SELECT c.serial FROM certificate c JOIN card_pair p ON c.pair_id = p.id "
                        + "WHERE p.holder_id = ? AND c.kind = 'SIGNING'")
                .param(holderId)
                .query(String.class)
                .single();
    }

    private static int admin(String path, String json) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + path))
                                .header("Authorization", "Bearer " + ServerUnderTest.ADMIN_TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
