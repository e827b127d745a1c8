package org.cardrenew.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.server.testsupport.MutableClock;
import org.cardrenew.server.web.HolderMessages;
import org.cardrenew.server.web.LocaleConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The filter in front of challenges and status: 429 RATE_LIMITED with Retry-After, the body still reaches the RA. */
class RateLimitFilterTest {

    private final MutableClock clock = new MutableClock();
    private final RateLimitFilter filter = new RateLimitFilter(
            new RateLimits(new RateLimitProperties(true, 3, 2, Duration.ofMinutes(1), 1000), clock,
                    new SimpleMeterRegistry()),
            new TrustedProxies(List.of("10.0.0.0/8")), new HolderMessages(messages()),
            new LocaleConfiguration().localeResolver());

    @Test
    void theFourthChallengeFromOneAddressIsRefusedWithRetryAfter() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(post(ApiPaths.CHALLENGES, "198.51.100.1", null, "").getStatus()).isEqualTo(200);
        }
        MockHttpServletResponse refused = post(ApiPaths.CHALLENGES, "198.51.100.1", null, "");
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("20");
        assertThat(refused.getContentAsString(StandardCharsets.UTF_8))
                .contains("\"code\":\"RATE_LIMITED\"", "Too many requests");
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnLimit() throws Exception {
        for (int i = 0; i < 3; i++) {
            post(ApiPaths.CHALLENGES, "10.0.0.2", "203.0.113.1", "");
        }
        assertThat(post(ApiPaths.CHALLENGES, "10.0.0.2", "203.0.113.1", "").getStatus()).isEqualTo(429);
        assertThat(post(ApiPaths.CHALLENGES, "10.0.0.2", "203.0.113.2", "").getStatus()).isEqualTo(200);
    }

    @Test
    void anUntrustedPeerCannotEscapeItsLimitByForgingTheHeader() throws Exception {
        for (int i = 0; i < 3; i++) {
            post(ApiPaths.CHALLENGES, "198.51.100.3", "203.0.113." + i, "");
        }
        assertThat(post(ApiPaths.CHALLENGES, "198.51.100.3", "203.0.113.99", "").getStatus()).isEqualTo(429);
    }

    @Test
    void oneCertificateIsLimitedAcrossAddressesWhatEverItsSpelling() throws Exception {
        byte[] der = {0x30, 0x03, 0x02, 0x01, 0x07};
        String base64 = Base64.getEncoder().encodeToString(der);
        String pem = "-----BEGIN CERTIFICATE-----\\n" + base64 + "\\n-----END CERTIFICATE-----";
        MockHttpServletResponse first = post(ApiPaths.STATUS, "198.51.100.4", null, status(base64));
        assertThat(first.getStatus()).isEqualTo(200);
        assertThat(post(ApiPaths.STATUS, "198.51.100.5", null, status(pem)).getStatus()).isEqualTo(200);
        assertThat(post(ApiPaths.STATUS, "198.51.100.6", null, status(base64)).getStatus()).isEqualTo(429);
        assertThat(post(ApiPaths.STATUS, "198.51.100.6", null, status("AAAA")).getStatus()).isEqualTo(200);
    }

    @Test
    void theStatusBodyStillReachesTheRa() throws Exception {
        MockFilterChain chain = new MockFilterChain();
        String body = status("AAAA");
        filter.doFilter(request(ApiPaths.STATUS, "198.51.100.7", null, body), new MockHttpServletResponse(), chain);
        assertThat(new String(chain.getRequest().getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo(body);
    }

    @Test
    void consoleSignInsCountAgainstTheAddress() throws Exception {
        post("/console/login", "198.51.100.10", null, "username=a&password=b&totp=000000");
        post("/console/card-sign-in", "198.51.100.10", null, "{}");
        post(ApiPaths.CHALLENGES, "198.51.100.10", null, "");
        assertThat(post("/console/login", "198.51.100.10", null, "username=a").getStatus()).isEqualTo(429);
    }

    @Test
    void otherEndpointsAreNotLimited() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(post(ApiPaths.RENEWALS, "198.51.100.8", null, "{}").getStatus()).isEqualTo(200);
        }
    }

    @Test
    void theRefusalSpeaksTaiwaneseByDefault() throws Exception {
        for (int i = 0; i < 3; i++) {
            post(ApiPaths.CHALLENGES, "198.51.100.9", null, "");
        }
        MockHttpServletRequest request = request(ApiPaths.CHALLENGES, "198.51.100.9", null, "");
        request.removeHeader("Accept-Language");
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        assertThat(response.getContentAsString(StandardCharsets.UTF_8)).contains("請求過於頻繁");
    }

    private static String status(String certificate) {
        return "{\"challengeId\":\"c\",\"certificate\":\"" + certificate + "\",\"signature\":\"AA==\"}";
    }

    private MockHttpServletResponse post(String path, String peer, String forwardedFor, String body) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request(path, peer, forwardedFor, body), response, new MockFilterChain());
        return response;
    }

    private static MockHttpServletRequest request(String path, String peer, String forwardedFor, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setRemoteAddr(peer);
        request.addHeader("Accept-Language", "en");
        if (forwardedFor != null) {
            request.addHeader("X-Forwarded-For", forwardedFor);
        }
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        request.setContentType("application/json");
        return request;
    }

    private static ResourceBundleMessageSource messages() {
        ResourceBundleMessageSource source = new ResourceBundleMessageSource();
        source.setBasename("messages");
        source.setDefaultEncoding("UTF-8");
        source.setFallbackToSystemLocale(false);
        return source;
    }
}
