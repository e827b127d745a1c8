package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.awaitility.Awaitility;
import org.cardrenew.agent.bridge.AllowedOrigins;
import org.cardrenew.agent.bridge.BridgeSettings;
import org.cardrenew.agent.bridge.CardBridge;
import org.cardrenew.testkit.Ports;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

/**
 * The renewal in a real browser: the server's pages in headless Chromium, the holder's card bridge
 * ({@code cardrenew agent}) on loopback, SoftHSM2 cards, and pkcs11-tool checking the card afterwards.
 * Both PINs are typed into the page; every page is checked with axe-core and photographed in both languages.
 */
class BrowserRenewalTest {

    private static final String PIN = "123456";
    private static Token renewZh;
    private static Token renewZh2;
    private static Token renewEn;
    private static Token later;
    private static Token expired;
    private static Token wrongPin;
    private static Token resume;
    private static Token resumeEn;
    private static Token history;
    private static ServerUnderTest server;
    private static int bridgePort;
    private static CardBridge bridge;
    private static Browser browser;
    private static final ByteArrayOutputStream BRIDGE_LOG = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        SoftHsm hsm = SoftHsm.forThisJvm();
        renewZh = hsm.createToken("WEB-RENEW-ZH", PIN);
        renewZh2 = hsm.createToken("WEB-SHOTS-ZH", PIN);
        renewEn = hsm.createToken("WEB-RENEW-EN", PIN);
        later = hsm.createToken("WEB-LATER", PIN);
        expired = hsm.createToken("WEB-EXPIRED", PIN);
        wrongPin = hsm.createToken("WEB-WRONG-PIN", PIN);
        resume = hsm.createToken("WEB-RESUME-ZH", PIN);
        resumeEn = hsm.createToken("WEB-RESUME-EN", PIN);
        history = hsm.createToken("WEB-HISTORY", PIN);
        bridgePort = Ports.forLaterBind();
        // The page's CSP and bridge detection point at this bridge.
        System.setProperty("cardrenew.bridge.url", "http://127.0.0.1:" + bridgePort);
        server = ServerUnderTest.start(ServerUnderTest.Database.H2);
        Instant now = Instant.now();
        enroll(renewZh, "A123456789", "王小明", now.minus(Duration.ofDays(710)), now.plus(Duration.ofDays(20)));
        enroll(renewZh2, "A323456789", "吳雅婷", now.minus(Duration.ofDays(710)), now.plus(Duration.ofDays(20)));
        enroll(renewEn, "A223456789", "林志明", now.minus(Duration.ofDays(710)), now.plus(Duration.ofDays(20)));
        enroll(later, "B123456789", "陳美玲", now.minus(Duration.ofDays(530)), now.plus(Duration.ofDays(200)));
        enroll(expired, "C123456789", "李淑芬", now.minus(Duration.ofDays(731)), now.minus(Duration.ofDays(1)));
        enroll(wrongPin, "D123456789", "黃建國", now.minus(Duration.ofDays(710)), now.plus(Duration.ofDays(20)));
        enroll(resume, "E123456789", "張家豪", now.minus(Duration.ofDays(710)), now.plus(Duration.ofDays(20)));
        enroll(resumeEn, "E223456789", "許志偉", now.minus(Duration.ofDays(710)), now.plus(Duration.ofDays(20)));
        enroll(history, "F123456789", "周怡君", now.minus(Duration.ofDays(710)), now.plus(Duration.ofDays(20)));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("cardrenew.bridge.url");
        Opened.closeAll(browser, server);
    }

    /**
     * Every test has its own card and a bridge of its own, started here and stopped after it: no test depends on
     * what another left behind (a session, a card's lock, a renewed card), in whatever order they run.
     */
    @BeforeEach
    void startTheBridge() throws Exception {
        startBridge();
    }

    @AfterEach
    void stopTheBridge() {
        stopBridge();
    }

    private static void enroll(Token token, String holderId, String name, Instant notBefore, Instant notAfter) {
        Cli.Run run = new Cli(server.url(), token).enroll(holderId, name, "p256", notBefore, notAfter);
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    private static void startBridge() throws Exception {
        if (bridge == null) {
            BridgeSettings settings = new BridgeSettings(
                    Path.of(renewZh.library()), bridgePort, AllowedOrigins.of(List.of(server.url())));
            bridge = CardBridge.start(
                    settings,
                    Duration.ofMinutes(2),
                    Clock.systemUTC(),
                    new PrintStream(BRIDGE_LOG, true, StandardCharsets.UTF_8));
        }
    }

    private static void stopBridge() {
        if (bridge != null) {
            bridge.close();
            bridge = null;
        }
    }

    private static String page(String lang) {
        return server.url() + "/?lang=" + lang;
    }

    @Test
    void aStoppedBridgeShowsHowToInstallAndStartIt() throws Exception {
        stopBridge();
        for (String lang : List.of("zh-TW", "en")) {
            browser.open(page(lang));
            browser.visible("bridge-missing");
            assertThat(browser.text("bridge-missing"))
                    .contains(lang.equals("en") ? "CardRenew agent is not running" : "卡片元件沒有執行");
            assertThat(browser.displayed("show-status")).isFalse();
            assertThat(browser.driver.findElement(By.tagName("html")).getAttribute("lang"))
                    .isEqualTo(lang);
            browser.assertAccessible("start without bridge " + lang);
            browser.screenshot("01-start-no-bridge-" + lang);

            browser.driver.findElement(By.cssSelector("#bridge-missing a")).click();
            browser.visible("main");
            assertThat(browser.driver.getCurrentUrl()).contains("/agent");
            assertThat(browser.driver.getPageSource()).contains("--allow-origin " + server.url());
            browser.assertAccessible("agent guide " + lang);
            browser.screenshot("02-agent-guide-" + lang);
        }
    }

    @Test
    void anOriginOutsideTheAllowListIsRefusedByTheBridge() throws Exception {
        HttpResponse<String> refused = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridgePort + "/v1/tokens"))
                                .header("Origin", "https://evil.example")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        // The same page from another origin (127.0.0.1 instead of localhost) cannot use the bridge.
        String foreignPage = server.url().replace("localhost", "127.0.0.1") + "/?lang=en";
        browser.open(foreignPage);
        // At an IP address the page does not assume it is local: the first bridge call waits for the holder's press.
        browser.visible("lna-connect").click();
        browser.visible("lna-again");
        assertThat(browser.displayed("show-status")).isFalse();
        assertThat(BRIDGE_LOG.toString(StandardCharsets.UTF_8))
                .contains("403 from " + server.url().replace("localhost", "127.0.0.1"));
    }

    @Test
    void aNotYetRenewableCardShowsFromWhichDateAndNoRenewButton() throws Exception {
        for (String lang : List.of("zh-TW", "en")) {
            statusOf(later, PIN, lang, "03-start-cards-" + lang, "04-pin-" + lang);
            String sentence = browser.text("status-sentence");
            assertThat(sentence).contains(lang.equals("en") ? "not yet renewable" : "尚未到展期期間");
            assertThat(browser.displayed("renew")).isFalse();
            assertThat(browser.displayed("resume-renewal")).isFalse();
            browser.assertAccessible("status not yet renewable " + lang);
            browser.screenshot("05-status-not-yet-" + lang);
        }
        browser.phoneScreenshot("05-status-not-yet-zh-TW-phone");
    }

    @Test
    void anExpiredCardIsInvalidWithoutRenewButton() throws Exception {
        for (String lang : List.of("zh-TW", "en")) {
            statusOf(expired, PIN, lang, null, null);
            assertThat(browser.text("status-sentence")).contains(lang.equals("en") ? "Apply for a new card" : "請申請新卡");
            assertThat(browser.text("status-detail")).contains(lang.equals("en") ? "expired" : "到期");
            assertThat(browser.displayed("renew")).isFalse();
            assertThat(browser.displayed("resume-renewal")).isFalse();
            browser.assertAccessible("status expired " + lang);
            browser.screenshot("06-status-expired-" + lang);
        }
    }

    @Test
    void aWrongPinShowsTheErrorAndLeavesTheCardIntact() throws Exception {
        CardObjects before = CardObjects.of(wrongPin);
        for (String lang : List.of("zh-TW", "en")) {
            openAndChoose(wrongPin, lang);
            browser.driver.findElement(By.id("show-status")).click();
            browser.visible("pin").sendKeys("000000", Keys.ENTER);
            browser.visible("error-what");
            assertThat(browser.text("error-what")).contains(lang.equals("en") ? "The PIN was wrong" : "PIN 碼錯誤");
            assertThat(browser.text("error-code")).contains("WRONG_PIN");
            browser.assertAccessible("wrong PIN " + lang);
            browser.screenshot("07-error-wrong-pin-" + lang);
        }
        // The holder tries again from the error page, with the right PIN: the status shows, nothing changes.
        assertThat(browser.text("error-resume")).isEqualTo("Enter the PIN again");
        browser.driver.findElement(By.id("error-resume")).sendKeys(Keys.ENTER);
        browser.visible("pin").sendKeys(PIN, Keys.ENTER);
        browser.visible("renew");
        // Leaving the page frees the card at once (sendBeacon cancel), not after the agent's time-out.
        browser.open(page("en"));
        browser.visible("show-status");
        HttpResponse<String> tokens = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridgePort + "/v1/tokens"))
                                .header("Origin", server.url())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(tokens.body()).contains("\"label\":\"WEB-WRONG-PIN\",\"busy\":false");
        assertThat(CardObjects.of(wrongPin)).isEqualTo(before);
    }

    @Test
    void aCardIsRenewedInThePageWithBothPinsByKeyboardAlone() throws Exception {
        CardObjects before = CardObjects.of(renewZh);
        browser.open(page("zh-TW"));
        browser.visible("show-status");
        // Only Tab, arrow keys, typing and Enter from here to the success page.
        browser.tabTo("card-select");
        for (int i = 0;
                i < 10
                        && !new Select(browser.driver.findElement(By.id("card-select")))
                                .getFirstSelectedOption()
                                .getText()
                                .equals(renewZh.label());
                i++) {
            browser.type(Keys.ARROW_DOWN);
        }
        browser.tabTo("show-status");
        browser.type(Keys.ENTER);
        browser.visible("pin");
        browser.tabTo("pin");
        browser.type(PIN, Keys.ENTER);
        browser.visible("renew");
        assertThat(browser.driver.findElement(By.cssSelector(".highlight mark")).getText())
                .isEqualTo("數位發展部");
        browser.tabTo("renew");
        browser.type(Keys.ENTER);
        browser.visible("confirm-pin");
        browser.tabTo("confirm-pin");
        browser.type(PIN, Keys.ENTER);
        browser.visible("h-success");
        assertThat(CardObjects.of(renewZh).certificateIds())
                .hasSize(2)
                .doesNotContainAnyElementsOf(before.certificateIds());
    }

    @Test
    void aCardIsRenewedInThePageInChinese() throws Exception {
        renewInPage(renewZh2, "zh-TW", "數位發展部");
    }

    @Test
    void aCardIsRenewedInThePageInEnglish() throws Exception {
        renewInPage(renewEn, "en", "數位發展部");
    }

    @Test
    void aBridgeGoneMidWayIsExplainedAndTheRenewalResumesFromThePage() throws Exception {
        resumeAfterTheBridgeWasGone(resume, "zh-TW", "連線中斷", "中斷");
        resumeAfterTheBridgeWasGone(resumeEn, "en", "connection to the CardRenew agent was lost", "interrupted");
    }

    /** Issue 12: the renewed card's old decryption key is listed on the start page and removed only by the holder. */
    @Test
    void theOldDecryptionKeyIsListedOnThePageAndTheHolderRemovesItWithThePin() throws Exception {
        // Its own card, renewed here (by the command line: the page's renewal is tested above), keeps its old key.
        Cli.Run renewed = new Cli(server.url(), history).renew();
        assertThat(renewed.exitCode()).as(renewed.toString()).isZero();
        CardObjects before = CardObjects.of(history);
        assertThat(before.historyKeyIds()).hasSize(1);
        browser.open(page("en"));
        browser.visible("decryption-history");
        assertThat(browser.text("history-list")).contains("Card " + history.label() + ": serial ");
        browser.assertAccessible("decryption history en");
        browser.screenshot("13-decryption-history-en");
        browser.driver
                .findElement(By.xpath("//li[contains(., '" + history.label() + "')]/button"))
                .sendKeys(Keys.ENTER);
        assertThat(browser.visible("history-confirm-text").getText()).contains("permanently");
        browser.visible("history-pin").sendKeys(PIN, Keys.ENTER);
        // Either answer ends the wait, so a refusal fails with its code instead of a time-out.
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> !browser.text("history-result").isBlank());
        assertThat(browser.text("history-result")).contains("was removed");
        assertThat(CardObjects.of(history).historyKeyIds()).isEmpty();
        assertThat(CardObjects.of(history).privateKeyIds()).isEqualTo(before.privateKeyIds());
    }

    private void resumeAfterTheBridgeWasGone(Token card, String lang, String lost, String interrupted)
            throws Exception {
        startBridge();
        CardObjects before = CardObjects.of(card);
        statusOf(card, PIN, lang, null, null);
        browser.driver.findElement(By.id("renew")).sendKeys(Keys.ENTER);
        browser.visible("confirm-pin");
        // The certificates are issued; the bridge stops before the holder confirms the write.
        stopBridge();
        browser.driver.findElement(By.id("confirm-pin")).sendKeys(PIN, Keys.ENTER);
        browser.visible("error-what");
        assertThat(browser.text("error-what")).contains(lost);
        assertThat(browser.displayed("error-resume")).isTrue();
        browser.assertAccessible("bridge lost " + lang);
        browser.screenshot("11-error-bridge-lost-" + lang);
        assertThat(CardObjects.of(card).certificateIds()).isEqualTo(before.certificateIds());

        startBridge();
        // Resume goes back to the same card's PIN.
        browser.driver.findElement(By.id("error-resume")).sendKeys(Keys.ENTER);
        browser.visible("pin").sendKeys(PIN, Keys.ENTER);
        browser.visible("resume-renewal");
        assertThat(browser.text("status-sentence")).contains(interrupted);
        browser.assertAccessible("status resume " + lang);
        browser.screenshot("12-status-resume-" + lang);
        browser.driver.findElement(By.id("resume-renewal")).sendKeys(Keys.ENTER);
        browser.visible("confirm-pin").sendKeys(PIN, Keys.ENTER);
        browser.visible("h-success");
        assertThat(browser.displayed("success-resumed")).isTrue();
        CardObjects after = CardObjects.of(card);
        assertThat(after.certificateIds()).hasSize(2).doesNotContainAnyElementsOf(before.certificateIds());
    }

    /** Start page → card → PIN → status, with optional screenshots of the start and PIN pages. */
    private static void statusOf(Token card, String pin, String lang, String startShot, String pinShot)
            throws Exception {
        openAndChoose(card, lang);
        if (startShot != null) {
            browser.assertAccessible("start " + lang);
            browser.screenshot(startShot);
        }
        browser.driver.findElement(By.id("show-status")).sendKeys(Keys.ENTER);
        browser.visible("pin");
        if (pinShot != null) {
            browser.assertAccessible("PIN " + lang);
            browser.screenshot(pinShot);
        }
        browser.driver.findElement(By.id("pin")).sendKeys(pin, Keys.ENTER);
        browser.visible("h-status");
    }

    private static void openAndChoose(Token card, String lang) {
        browser.open(page(lang));
        choose(card);
    }

    private static void choose(Token card) {
        browser.visible("show-status");
        new Select(browser.visible("card-select")).selectByVisibleText(card.label());
    }

    private void renewInPage(Token card, String lang, String organization) throws Exception {
        CardObjects before = CardObjects.of(card);
        assertThat(before.certificateIds()).hasSize(2);
        statusOf(card, PIN, lang, null, null);
        assertThat(browser.text("status-sentence")).contains(lang.equals("en") ? "renewable online" : "可線上展期");
        assertThat(browser.driver.findElement(By.cssSelector(".highlight mark")).getText())
                .isEqualTo(organization);
        assertThat(browser.text("check-o")).contains(lang.equals("en") ? "Check that O is your agency" : "請確認機關 (O)");
        String oldUntil = browser.text("valid-until");
        browser.assertAccessible("status renewable " + lang);
        browser.screenshot("08-status-renewable-" + lang);
        if (lang.equals("zh-TW")) {
            browser.phoneScreenshot("08-status-renewable-zh-TW-phone");
        }

        browser.driver.findElement(By.id("renew")).sendKeys(Keys.ENTER);
        // The progress view may already have given way to the second PIN: photograph it when it is there.
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, Duration.ofSeconds(30))
                .until(d -> browser.displayed("h-progress") || browser.displayed("confirm-pin"));
        if (browser.displayed("h-progress")) {
            browser.screenshot("09-progress-" + lang);
        }
        browser.visible("confirm-pin");
        assertThat(CardObjects.of(card).certificateIds()).isEqualTo(before.certificateIds());
        browser.assertAccessible("confirm PIN " + lang);
        browser.screenshot("09-confirm-pin-" + lang);
        browser.driver.findElement(By.id("confirm-pin")).sendKeys(PIN, Keys.ENTER);

        browser.visible("h-success");
        assertThat(browser.text("old-until")).isEqualTo(oldUntil);
        assertThat(browser.text("new-until")).isNotBlank().isNotEqualTo(oldUntil);
        browser.assertAccessible("success " + lang);
        browser.screenshot("10-success-" + lang);

        // pkcs11-tool (OpenSC) sees exactly the new pair: two keys, two certificates, same ids, no public keys.
        CardObjects after = CardObjects.of(card);
        assertThat(after.certificateIds()).hasSize(2).doesNotContainAnyElementsOf(before.certificateIds());
        assertThat(after.privateKeyIds()).containsExactlyInAnyOrderElementsOf(after.certificateIds());
        assertThat(after.publicKeyIds()).isEmpty();
    }
}
