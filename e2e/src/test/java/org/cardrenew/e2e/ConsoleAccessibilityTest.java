package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Every console page in headless Chromium, in zh-TW and English, as the bootstrap administrator signed in with
 * password and TOTP: zero serious or critical axe-core violations, no CSP report, a screenshot of each.
 */
class ConsoleAccessibilityTest {

    private static final String PASSWORD = "e2e console administrator password";
    private static ServerUnderTest server;
    private static Browser browser;
    private static Token card;

    @BeforeAll
    static void start() throws Exception {
        card = SoftHsm.forThisJvm().createToken("CONSOLE-A11Y", "123456");
        System.setProperty("cardrenew.console.admin-password", PASSWORD);
        server = ServerUnderTest.start(ServerUnderTest.Database.H2);
        Instant now = Instant.now();
        Cli cli = new Cli(server.url(), card);
        Cli.Run enrolled =
                cli.enroll("F123456789", "周書豪", "p256", now.minus(Duration.ofDays(710)), now.plus(Duration.ofDays(20)));
        assertThat(enrolled.exitCode()).as(enrolled.toString()).isZero();
        Cli.Run renewed = cli.renew("--json");
        assertThat(renewed.exitCode()).as(renewed.toString()).isZero();
        browser = Browser.start();
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("cardrenew.console.admin-password");
        Opened.closeAll(browser, server);
    }

    @Test
    void everyConsolePageHasNoSeriousOrCriticalViolationInEitherLanguage() throws Exception {
        String serial = server.jdbc()
                .sql("SELECT c.serial FROM certificate c JOIN card_pair p ON c.pair_id = p.id "
                        + "WHERE p.holder_id = 'F123456789' ORDER BY c.id")
                .query(String.class)
                .list()
                .get(0);
        String renewal = server.jdbc()
                .sql("SELECT id FROM renewal ORDER BY requested_at")
                .query(String.class)
                .list()
                .get(0);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("start", "/console");
        pages.put("search", "/console/search?q=F123456789");
        pages.put("certificate", "/console/certificates/" + serial);
        pages.put("renewal", "/console/renewals/" + renewal);
        pages.put("audit", "/console/audit");
        pages.put("system", "/console/system");
        pages.put("users", "/console/users");
        pages.put("enrollment", "/console/enrollments");

        for (String lang : List.of("zh-TW", "en")) {
            browser.driver.executeCdpCommand("Network.enable", Map.of());
            browser.driver.executeCdpCommand(
                    "Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Accept-Language", lang)));
            if (lang.equals("zh-TW")) {
                browser.open(server.url() + "/console/login");
                assertThat(browser.driver.findElement(By.tagName("html")).getAttribute("lang"))
                        .isEqualTo(lang);
                browser.assertAccessible("console login " + lang);
                browser.screenshot("console-login-" + lang);
                signIn();
            }
            for (Map.Entry<String, String> page : pages.entrySet()) {
                browser.open(server.url() + page.getValue());
                browser.visible("main");
                assertThat(browser.driver.getTitle()).as(page.getKey()).isNotBlank();
                assertThat(browser.driver.findElement(By.tagName("html")).getAttribute("lang"))
                        .isEqualTo(lang);
                browser.assertAccessible("console " + page.getKey() + " " + lang);
                browser.screenshot("console-" + page.getKey() + "-" + lang);
            }
        }
    }

    private static void signIn() throws java.io.IOException {
        // the bootstrap administrator's otpauth:// URI is in an owner-only file of the data directory, never in the log
        byte[] key = base32(Files.readString(server.dataDir().resolve("console-admin-totp"))
                .replaceAll("(?s).*[?&]secret=([A-Z2-7]+).*", "$1"));
        browser.driver.findElement(By.name("username")).sendKeys("admin");
        browser.driver.findElement(By.name("password")).sendKeys(PASSWORD);
        browser.driver.findElement(By.name("totp")).sendKeys(totp(key, Instant.now()));
        browser.driver
                .findElement(By.cssSelector("main form button[type=submit]"))
                .click();
        browser.visible("who");
    }

    /** RFC 4648 section 6 base32 without padding, as in otpauth:// URIs. */
    private static byte[] base32(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            buffer = (buffer << 5) | "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    /** RFC 6238 TOTP with HMAC-SHA1, 30-second steps, 6 digits (RFC 4226 section 5.3 dynamic truncation). */
    private static String totp(byte[] key, Instant now) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] h = mac.doFinal(
                    ByteBuffer.allocate(8).putLong(now.getEpochSecond() / 30).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24)
                    | ((h[offset + 1] & 0xff) << 16)
                    | ((h[offset + 2] & 0xff) << 8)
                    | (h[offset + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
