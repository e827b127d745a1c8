package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cardrenew.agent.bridge.AllowedOrigins;
import org.cardrenew.agent.bridge.BridgeSettings;
import org.cardrenew.agent.bridge.CardBridge;
import org.cardrenew.agent.renewal.DecryptionHistory;
import org.cardrenew.protocol.ServerTrust;
import org.cardrenew.server.console.BrowserPolicies;
import org.cardrenew.testkit.Ports;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The renewal page as real deployments serve it: HTTPS, at an address Chromium treats as public
 * ({@code --ip-address-space-overrides}), so that its calls to the card bridge on 127.0.0.1 fall under Local Network
 * Access (Chrome 142+). Chromium 156 blocks them until the permission is granted (DevTools
 * {@code Browser.setPermission}) or an enterprise policy allows the site. One server and bridge for all cases.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalNetworkAccessTest {

    private static final String PIN = "123456";
    private static final String MINIMUM_VERSION = "999.0";
    private static final Path MANAGED_POLICIES = Path.of("/etc/chromium/policies/managed");
    private static final ByteArrayOutputStream BRIDGE_LOG = new ByteArrayOutputStream();
    private static Token card;
    private static Path root;
    private static ServerUnderTest server;
    private static int bridgePort;
    private static String origin;
    private static CardBridge bridge;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        card = SoftHsm.forThisJvm().createToken("LNA-RENEW", PIN);
        bridgePort = Ports.forLaterBind();
        int serverPort = Ports.forLaterBind();
        origin = "https://127.0.0.1:" + serverPort;
        server = ServerUnderTest.startHttps(Map.of(
                "server.port",
                String.valueOf(serverPort),
                "cardrenew.public-url",
                origin,
                "cardrenew.bridge.url",
                "http://127.0.0.1:" + bridgePort,
                "cardrenew.bridge.minimum-version",
                MINIMUM_VERSION));
        // The bridge and the CLI reach the RA over https: they trust the server's own root (--ca-file, ca-file=).
        root = server.rootPem();
        Instant now = Instant.now();
        Cli.Run enrolled = new Cli(origin, card)
                .enroll(
                        "L123456789",
                        "周美華",
                        "p256",
                        now.minus(Duration.ofDays(710)),
                        now.plus(Duration.ofDays(20)),
                        "--ca-file",
                        root.toString());
        assertThat(enrolled.exitCode()).as(enrolled.toString()).isZero();
        startBridge();
        browser = startBrowser();
    }

    @AfterAll
    static void stop() throws Exception {
        Opened.closeAll(browser, bridge, server);
    }

    /** A fresh profile; the site's certificate is the CardRenew CA's, which this profile does not know. */
    private static Browser startBrowser() throws Exception {
        int serverPort = Integer.parseInt(origin.substring(origin.lastIndexOf(':') + 1));
        return Browser.start(
                "--ignore-certificate-errors", "--ip-address-space-overrides=127.0.0.1:" + serverPort + "=public");
    }

    private static void startBridge() throws Exception {
        if (bridge == null) {
            BridgeSettings settings = new BridgeSettings(
                    Path.of(card.library()),
                    bridgePort,
                    AllowedOrigins.of(List.of(origin)),
                    ServerTrust.system(root),
                    DecryptionHistory.ALL);
            bridge = CardBridge.start(
                    settings,
                    Duration.ofMinutes(2),
                    Clock.systemUTC(),
                    new PrintStream(BRIDGE_LOG, true, StandardCharsets.UTF_8));
        }
    }

    private static void permission(Browser in, String setting) {
        in.driver.executeCdpCommand(
                "Browser.setPermission",
                Map.of("permission", Map.of("name", "loopback-network"), "setting", setting, "origin", origin));
    }

    private static String page(String lang) {
        return origin + "/?lang=" + lang;
    }

    private static String bridgeCallsFromTheSite() {
        return BRIDGE_LOG
                .toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.endsWith("from " + origin))
                .reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    @Order(1)
    void notAskedYetThePageExplainsTheQuestionAndCallsTheBridgeOnlyOnTheButton() throws Exception {
        for (String lang : List.of("zh-TW", "en")) {
            browser.open(page(lang));
            browser.visible("lna-connect");
            assertThat(browser.text("lna-ask"))
                    .contains(
                            lang.equals("en")
                                    ? "your browser asks whether this site may access apps and services on this device"
                                    : "瀏覽器會詢問是否允許本網站存取這部裝置上的應用程式");
            assertThat(browser.displayed("bridge-missing")).isFalse();
            browser.assertAccessible("not asked yet " + lang);
            browser.screenshot("lna-01-not-asked-" + lang);
        }
        assertThat(bridgeCallsFromTheSite())
                .as("no bridge call before the holder's press")
                .isEmpty();

        // Headless Chromium shows no question: the press ends unanswered or refused, never as "not running".
        browser.driver.findElement(By.id("lna-connect")).click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(30))
                .until(d -> browser.displayed("lna-again") || browser.displayed("lna-denied"));
        assertThat(browser.displayed("bridge-missing")).isFalse();
        assertThat(bridgeCallsFromTheSite())
                .as("Chromium blocked the call before it left")
                .isEmpty();
    }

    @Test
    @Order(2)
    void deniedThePageSaysTheBrowserBlocksTheSiteAndHowToAllowItNeverNotRunning() throws Exception {
        permission(browser, "denied");
        for (String lang : List.of("zh-TW", "en")) {
            browser.open(page(lang));
            browser.visible("lna-denied");
            assertThat(browser.text("lna-denied"))
                    .contains(
                            lang.equals("en")
                                    ? "Your browser blocks this site from the card component"
                                    : "瀏覽器封鎖了本網站與卡片元件的連線")
                    .contains(lang.equals("en") ? "Site settings" : "網站設定");
            assertThat(browser.displayed("bridge-missing")).isFalse();
            assertThat(browser.displayed("show-status")).isFalse();
            browser.assertAccessible("denied " + lang);
            browser.screenshot("lna-02-denied-" + lang);
        }
        browser.driver.findElement(By.id("recheck")).click();
        browser.visible("lna-denied");
        assertThat(browser.displayed("bridge-missing")).isFalse();
    }

    @Test
    @Order(3)
    void grantedTheCardIsRenewedAndAnOlderAgentIsAskedToUpdate() throws Exception {
        permission(browser, "granted");
        CardObjects before = CardObjects.of(card);
        browser.open(page("zh-TW"));
        browser.visible("show-status");
        assertThat(browser.text("bridge-old")).contains("請更新 CardRenew 卡片元件", MINIMUM_VERSION);
        browser.assertAccessible("update the agent zh-TW");
        browser.screenshot("lna-03-granted-update-agent-zh-TW");

        browser.open(page("en"));
        browser.visible("show-status");
        assertThat(browser.text("bridge-old")).contains("Please update the CardRenew agent", MINIMUM_VERSION);
        browser.screenshot("lna-03-granted-update-agent-en");
        browser.driver.findElement(By.id("show-status")).click();
        browser.visible("pin").sendKeys(PIN, org.openqa.selenium.Keys.ENTER);
        browser.visible("renew").click();
        browser.visible("confirm-pin").sendKeys(PIN, org.openqa.selenium.Keys.ENTER);
        browser.visible("h-success");
        assertThat(CardObjects.of(card).certificateIds())
                .hasSize(2)
                .doesNotContainAnyElementsOf(before.certificateIds());
        assertThat(bridgeCallsFromTheSite()).contains("POST /v1/sessions 201");
    }

    @Test
    @Order(4)
    void agentVersionsCompareByTheirNumbers() {
        Object answers = browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import('/js/local-network.js').then(m => done(JSON.stringify(["
                + "m.olderThan('0.1.0', '0.1.0-SNAPSHOT'), m.olderThan('0.0.9', '0.1.0'), m.olderThan(undefined, '0.1.0'),"
                + "m.olderThan('0.10.0', '0.9.1'), m.olderThan('1.0', '1.0.1'), m.olderThan('0.1.0', '')])))"
                + ".catch(e => done('failed: ' + e));");
        assertThat(answers).isEqualTo("[false,true,true,false,true,false]");
    }

    @Test
    @Order(5)
    void grantedButTheBridgeStoppedThePageSaysTheAgentIsNotRunning() throws Exception {
        permission(browser, "granted");
        bridge.close();
        bridge = null;
        try {
            for (String lang : List.of("zh-TW", "en")) {
                browser.open(page(lang));
                browser.visible("bridge-missing");
                assertThat(browser.text("bridge-missing"))
                        .contains(lang.equals("en") ? "CardRenew agent is not running" : "卡片元件沒有執行");
                assertThat(browser.displayed("lna-denied")).isFalse();
                assertThat(browser.displayed("lna-ask")).isFalse();
                browser.assertAccessible("granted, bridge stopped " + lang);
                browser.screenshot("lna-04-not-running-" + lang);
            }
        } finally {
            startBridge();
        }
    }

    @Test
    @Order(6)
    void theConsolesLinuxPolicyFileLetsChromiumReachTheBridgeWithoutAnyPrompt() throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "writing " + MANAGED_POLICIES + " needs root; the managed-policy case is skipped");
        startBridge();
        Files.createDirectories(MANAGED_POLICIES);
        Path policy = MANAGED_POLICIES.resolve("cardrenew-e2e-" + UUID.randomUUID() + ".json");
        Files.writeString(policy, server.bean(BrowserPolicies.class).linuxJson());
        Browser managed = null;
        try {
            // A fresh profile, no permission set: the policy alone lets the page find the card.
            managed = startBrowser();
            managed.open(page("en"));
            managed.visible("show-status");
            assertThat(managed.text("card-found")).contains(card.label());
            assertThat(managed.displayed("lna-ask")).isFalse();
            managed.screenshot("lna-05-managed-policy-en");
        } finally {
            Files.deleteIfExists(policy);
            Opened.closeAll(managed);
        }
    }

    /** Issue 11 on the console: the officer's card sign-in asks as the renewal page does, in its words. */
    @Test
    @Order(7)
    void theConsolesCardSignInCallsTheBridgeOnlyOnThePressAndListsTheCardOnceGranted() throws Exception {
        startBridge();
        int seen = BRIDGE_LOG.size();
        Browser officer = startBrowser();
        try {
            for (String lang : List.of("zh-TW", "en")) {
                officer.driver.executeCdpCommand("Network.enable", Map.of());
                officer.driver.executeCdpCommand(
                        "Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Accept-Language", lang)));
                officer.open(origin + "/console/login");
                officer.visible("card-lna-connect");
                assertThat(officer.text("card-lna-ask"))
                        .contains(
                                lang.equals("en")
                                        ? "your browser asks whether this site may access apps and services on this device"
                                        : "瀏覽器會詢問是否允許本網站存取這部裝置上的應用程式");
                assertThat(officer.text("card-message")).isEmpty();
                officer.assertAccessible("console not asked yet " + lang);
                officer.screenshot("lna-06-console-not-asked-" + lang);
            }
            assertThat(bridgeCallsFromTheSiteSince(seen))
                    .as("no bridge call before the officer's press")
                    .isEmpty();

            // Headless Chromium shows no question: the press ends unanswered or refused, never as "not running".
            officer.driver.findElement(By.id("card-lna-connect")).click();
            new WebDriverWait(officer.driver, Duration.ofSeconds(30))
                    .until(d -> officer.displayed("card-lna-again") || officer.displayed("card-lna-denied"));
            assertThat(officer.text("card-message")).isEmpty();
            assertThat(bridgeCallsFromTheSiteSince(seen))
                    .as("Chromium blocked the call before it left")
                    .isEmpty();

            permission(officer, "granted");
            officer.open(origin + "/console/login");
            new WebDriverWait(officer.driver, Duration.ofSeconds(30))
                    .until(d -> d.findElements(By.cssSelector("#card-token option[value='" + card.label() + "']"))
                                    .size()
                            == 1);
            assertThat(officer.displayed("card-lna-ask")).isFalse();
            assertThat(officer.displayed("card-lna-denied")).isFalse();
        } finally {
            Opened.closeAll(officer);
        }
    }

    private static String bridgeCallsFromTheSiteSince(int offset) {
        return new String(BRIDGE_LOG.toByteArray(), offset, BRIDGE_LOG.size() - offset, StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.endsWith("from " + origin))
                .reduce("", (a, b) -> a + b + "\n");
    }
}
