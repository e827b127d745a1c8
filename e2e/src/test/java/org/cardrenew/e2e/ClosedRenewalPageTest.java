package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import org.cardrenew.testkit.Ports;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * Issue 12 item 2 in the browser: a holder who left the page after the CA issued (never confirming) comes back after
 * the server's confirm-within. The page says the last renewal was closed and why they renew again, and after the
 * fresh renewal that the earlier one's leftovers were replaced. confirm-within is 20 s here (7 days by default).
 */
class ClosedRenewalPageTest {

    private static final String PIN = "123456";
    private static final Duration CONFIRM_WITHIN = Duration.ofSeconds(20);
    private static final ByteArrayOutputStream BRIDGE_LOG = new ByteArrayOutputStream();
    private static Token card;
    private static ServerUnderTest server;
    private static int bridgePort;
    private static CardBridge bridge;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        card = SoftHsm.forThisJvm().createToken("WEB-CLOSED", PIN);
        bridgePort = Ports.forLaterBind();
        server = ServerUnderTest.start(
                ServerUnderTest.Database.H2,
                Map.of(
                        "cardrenew.bridge.url",
                        "http://127.0.0.1:" + bridgePort,
                        "cardrenew.renewal.confirm-within",
                        CONFIRM_WITHIN.toString()));
        Instant now = Instant.now();
        Cli.Run enrolled = new Cli(server.url(), card)
                .enroll("G123456789", "鄭雅文", "p256", now.minus(Duration.ofDays(710)), now.plus(Duration.ofDays(20)));
        assertThat(enrolled.exitCode()).as(enrolled.toString()).isZero();
        startBridge();
        browser = Browser.start();
    }

    @AfterAll
    static void stop() throws Exception {
        Opened.closeAll(browser, bridge, server);
    }

    private static void startBridge() throws Exception {
        BridgeSettings settings =
                new BridgeSettings(Path.of(card.library()), bridgePort, AllowedOrigins.of(List.of(server.url())));
        bridge = CardBridge.start(
                settings,
                Duration.ofMinutes(2),
                Clock.systemUTC(),
                new PrintStream(BRIDGE_LOG, true, StandardCharsets.UTF_8));
    }

    private static void status(String lang) {
        browser.open(server.url() + "/?lang=" + lang);
        // The only card on this bridge: the page picks it ("Card found"), no list to choose from.
        browser.visible("show-status");
        browser.driver.findElement(By.id("show-status")).sendKeys(Keys.ENTER);
        browser.visible("pin");
        browser.driver.findElement(By.id("pin")).sendKeys(PIN, Keys.ENTER);
        browser.visible("h-status");
    }

    @Test
    void aHolderWhoseRenewalWasClosedUnconfirmedIsToldWhyAndRenewsAfresh() throws Exception {
        CardObjects before = CardObjects.of(card);

        // The CA issues; the holder leaves at the second PIN, so nothing is written or confirmed.
        status("en");
        browser.driver.findElement(By.id("renew")).sendKeys(Keys.ENTER);
        browser.visible("confirm-pin");
        bridge.close();
        Thread.sleep(CONFIRM_WITHIN.plusSeconds(2).toMillis());
        startBridge();

        for (String lang : List.of("zh-TW", "en")) {
            status(lang);
            browser.visible("renew");
            assertThat(browser.text("status-detail"))
                    .contains(
                            lang.equals("en")
                                    ? "it was closed and its new certificates revoked (EXPIRED_UNCONFIRMED)"
                                    : "該次展期已關閉");
            browser.assertAccessible("status after a closed renewal " + lang);
            browser.screenshot("12-status-renewal-closed-" + lang);
        }

        browser.driver.findElement(By.id("renew")).sendKeys(Keys.ENTER);
        browser.visible("confirm-pin");
        browser.driver.findElement(By.id("confirm-pin")).sendKeys(PIN, Keys.ENTER);
        browser.visible("h-success");
        browser.visible("success-restarted");
        assertThat(browser.text("success-restarted")).contains("had been closed");
        browser.assertAccessible("success after a closed renewal en");
        browser.screenshot("12-success-renewal-closed-en");

        CardObjects after = CardObjects.of(card);
        // The fresh pair, the enrolled encryption key as history; nothing of the closed renewal (its pending keys).
        assertThat(after.privateKeyIds()).hasSize(2).doesNotContainAnyElementsOf(before.privateKeyIds());
        assertThat(after.certificateIds()).containsExactlyInAnyOrderElementsOf(after.privateKeyIds());
        assertThat(after.historyKeyIds()).hasSize(1).isSubsetOf(before.privateKeyIds());
        assertThat(after.historyCertificateIds()).isEqualTo(after.historyKeyIds());
        assertThat(after.publicKeyIds()).isEmpty();
    }
}
