package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 1, the operator's case: the renewal page served over plain http from an address that is not this
 * computer's loopback. Browsers let only secure (https) pages reach the card bridge on 127.0.0.1, and no permission can
 * be granted to an insecure page, so the page says the site is misconfigured (for the IT help desk and the operators),
 * never that the holder's card component is not running nor that the browser blocks it.
 */
class InsecurePageTest {

    private static ServerUnderTest server;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        server = ServerUnderTest.start(ServerUnderTest.Database.H2);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() throws Exception {
        Opened.closeAll(browser, server);
    }

    /** This machine's first non-loopback IPv4 address: http there is not a secure context. */
    private static Optional<String> networkAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return Optional.of(address.getHostAddress());
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void aPageServedOverPlainHttpFromANetworkAddressTellsTheOperatorsNotTheHolderThatTheAgentIsMissing()
            throws Exception {
        Optional<String> address = networkAddress();
        assumeTrue(address.isPresent(), "this machine has no non-loopback IPv4 address");
        String site = server.url().replace("localhost", address.get());
        for (String lang : List.of("zh-TW", "en")) {
            browser.open(site + "/?lang=" + lang);
            assertThat((Boolean) browser.driver.executeScript("return window.isSecureContext;"))
                    .as("http from a network address is not a secure context")
                    .isFalse();
            browser.visible("page-insecure");
            assertThat(browser.text("page-insecure"))
                    .contains(
                            lang.equals("en")
                                    ? "This site is not served over a secure connection (https)"
                                    : "本網站未以安全連線（https）提供")
                    .contains("cardrenew.public-url");
            assertThat(browser.displayed("bridge-missing")).isFalse();
            assertThat(browser.displayed("lna-denied")).isFalse();
            assertThat(browser.displayed("lna-ask")).isFalse();
            browser.assertAccessible("insecure page " + lang);
            browser.screenshot("lna-07-insecure-page-" + lang);
        }
    }
}
