package org.cardrenew.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.server.testsupport.MutableClock;
import org.cardrenew.server.web.HolderMessages;
import org.cardrenew.server.web.LocaleConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The limits in front of every anonymous endpoint: 429 RATE_LIMITED with Retry-After, on the path as routed. */
class RateLimitFilterTest {

    private final MutableClock clock = new MutableClock();
    private final RateLimits limits = new RateLimits(
            new RateLimitProperties(true, 3, 2, 3, 3, Duration.ofMinutes(1), 1000), clock, new SimpleMeterRegistry());
    private final CertificateLimit certificates = new CertificateLimit(limits);
    private final RateLimitFilter filter = new RateLimitFilter(
            limits,
            new TrustedProxies(List.of("10.0.0.0/8")),
            new HolderMessages(messages()),
            new LocaleConfiguration().localeResolver());

    @Test
    void theFourthChallengeFromOneAddressIsRefusedWithRetryAfter() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(post(ApiPaths.CHALLENGES, "198.51.100.1", null, "").getStatus())
                    .isEqualTo(200);
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
        assertThat(post(ApiPaths.CHALLENGES, "10.0.0.2", "203.0.113.1", "").getStatus())
                .isEqualTo(429);
        assertThat(post(ApiPaths.CHALLENGES, "10.0.0.2", "203.0.113.2", "").getStatus())
                .isEqualTo(200);
    }

    @Test
    void anUntrustedPeerCannotEscapeItsLimitByForgingTheHeader() throws Exception {
        for (int i = 0; i < 3; i++) {
            post(ApiPaths.CHALLENGES, "198.51.100.3", "203.0.113." + i, "");
        }
        assertThat(post(ApiPaths.CHALLENGES, "198.51.100.3", "203.0.113.99", "").getStatus())
                .isEqualTo(429);
    }

    @Test
    void oneCertificateIsLimitedAcrossAddressesWhateverSpellingTheRaAccepts() {
        byte[] der = {(byte) 0xfb, (byte) 0xef, (byte) 0xbe}; // "++++" in base64, "----" in base64url
        String standard = Base64.getEncoder().encodeToString(der);
        String urlSafe = Base64.getUrlEncoder().encodeToString(der);
        assertThat(standard).isNotEqualTo(urlSafe);
        certificates.take(standard);
        certificates.take(" " + urlSafe + "\n");
        assertThatThrownBy(() -> certificates.take(standard))
                .isInstanceOf(RateLimited.class)
                .extracting(e -> ((RateLimited) e).retryAfter())
                .isEqualTo("30");
        certificates.take("not base64 at all!"); // the RA refuses it; only the address limit applies
    }

    /** Spellings of the limited paths that Tomcat and Spring MVC route (or refuse) like the plain path. */
    static Stream<Arguments> spellings() {
        return Stream.of(
                Arguments.argumentSet("percent-encoded letter", "/api/v1/challeng%65s", "/api/v1/challenges"),
                Arguments.argumentSet("percent-encoded status", "/api/v1/st%61tus", "/api/v1/status"),
                Arguments.argumentSet("percent-encoded console login", "/console/logi%6E", "/console/login"),
                Arguments.argumentSet("matrix parameter", "/api/v1/status;jsessionid=x", "/api/v1/status"),
                Arguments.argumentSet("double slash", "//api//v1/challenges", "/api/v1/challenges"),
                Arguments.argumentSet("trailing slash", "/api/v1/challenges/", "/api/v1/challenges"),
                Arguments.argumentSet("upper case", "/API/V1/Challenges", "/api/v1/challenges"),
                Arguments.argumentSet("dot segments", "/api/x/../v1/./status", "/api/v1/status"),
                Arguments.argumentSet("encoded slash", "/api%2Fv1%2Fstatus", "/api/v1/status"),
                Arguments.argumentSet(
                        "renewal id", "/api/v1/renewals/1234;a=b/confirmation", "/api/v1/renewals/1234/confirmation"),
                Arguments.argumentSet("CMP label", "/.well-known/cmp/p/%6Cabel", "/.well-known/cmp/p/label"));
    }

    @ParameterizedTest
    @MethodSource("spellings")
    void aSpellingOfALimitedPathCountsAsThePathItself(String spelled, String routed) throws Exception {
        assertThat(LimitedPath.canonical(spelled)).isEqualTo(routed);
        String peer = "198.51.100." + Math.floorMod(spelled.hashCode(), 200);
        for (int i = 0; i < 3; i++) {
            post(routed, peer, null, "");
        }
        assertThat(post(spelled, peer, null, "").getStatus()).isEqualTo(429);
    }

    @Test
    void everyAnonymousEndpointIsLimitedEachGroupOnItsOwnBucket() throws Exception {
        String peer = "198.51.100.230";
        for (String path : List.of(ApiPaths.CHALLENGES, ApiPaths.RENEWALS, "/.well-known/est/simplereenroll")) {
            assertThat(post(path, peer, null, "{}").getStatus()).isEqualTo(200);
        }
        assertThat(post("/.well-known/cmp", peer, null, "").getStatus())
                .as("card endpoints share one bucket")
                .isEqualTo(429);
        for (String path : List.of("/ocsp", "/crl/issuing.crl", "/api/v1/renewal-info/abc")) {
            assertThat(post(path, peer, null, "").getStatus()).as(path).isEqualTo(200);
        }
        assertThat(post("/ocsp/MEQwQj", peer, null, "").getStatus()).isEqualTo(429);
        for (int i = 0; i < 3; i++) {
            assertThat(post("/console/login", peer, null, "username=a").getStatus())
                    .isEqualTo(200);
        }
        assertThat(post("/console/card-sign-in", peer, null, "{}").getStatus()).isEqualTo(429);
    }

    @Test
    void pagesAndTheAdminApiAreNotLimited() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(post("/api/v1/admin/enrollments", "198.51.100.8", null, "{}")
                            .getStatus())
                    .isEqualTo(200);
            assertThat(post("/renew", "198.51.100.8", null, "").getStatus()).isEqualTo(200);
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

    private MockHttpServletResponse post(String path, String peer, String forwardedFor, String body) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request(path, peer, forwardedFor, body), response, new MockFilterChain());
        return response;
    }

    private static MockHttpServletRequest request(String path, String peer, String forwardedFor, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setRequestURI(path); // as the client spelled it
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
