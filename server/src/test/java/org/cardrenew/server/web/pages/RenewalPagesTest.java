package org.cardrenew.server.web.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.OnH2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The holder's pages: language, security headers, no inline script, CSRF outside the API, complete bundles. */
@OnH2
class RenewalPagesTest extends ApiTestBase {

    private HttpResponse<String> page(String path, String acceptLanguage) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Accept-Language", acceptLanguage)
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void thePageIsInChineseUnlessEnglishIsChosen() throws Exception {
        HttpResponse<String> zh = page("/", "en-US,en;q=0.9");
        assertThat(zh.statusCode()).isEqualTo(200);
        assertThat(zh.body())
                .contains(
                        "<html lang=\"zh-TW\">",
                        "查看憑證狀態",
                        "請確認機關 (O) 是您服務的機關。",
                        "<nav aria-label=\"語言\">",
                        "href=\"?lang=en\"",
                        "data-bridge=\"http://127.0.0.1:47811\"");

        HttpResponse<String> en = page("/?lang=en", "zh-TW");
        assertThat(en.body()).contains("<html lang=\"en\">", "View certificate status", "Check that O is your agency.");
    }

    @Test
    void thePageCanTellAHolderWhoseLastRenewalWasClosedUnconfirmedWhyTheyRenewAgain() throws Exception {
        // renew.js shows status.previousRenewalClosed beside RENEWABLE when renewalState is EXPIRED_UNCONFIRMED, and
        // success-restarted when the bridge's result has previousRenewalClosed (issue 12).
        assertThat(page("/", "zh-TW").body())
                .contains("data-msg=\"status.previousRenewalClosed\"", "該次展期已關閉", "id=\"success-restarted\"");
        assertThat(page("/?lang=en", "en").body())
                .contains("it was closed and its new certificates revoked (EXPIRED_UNCONFIRMED)")
                .contains("The earlier renewal that was not confirmed in time had been closed");
    }

    @Test
    void thePageKnowsTheOldestAgentVersionHoldersMayKeepThisBuildsByDefault() throws Exception {
        // application.properties is filtered by Maven: the build's own version, never the placeholder
        assertThat(page("/", "zh-TW").body())
                .containsPattern("data-min-version=\"\\d+\\.\\d+\\.\\d+[^\"@]*\"")
                .doesNotContain("project.version");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/?lang=en", "/agent", "/js/renew.js"})
    void pagesCarryAStrictContentSecurityPolicyAndAreNotCached(String path) throws Exception {
        HttpResponse<String> response = page(path, "zh-TW");
        String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp)
                .contains(
                        "default-src 'self'",
                        "script-src 'self';",
                        "frame-ancestors 'none'",
                        "object-src 'none'",
                        "connect-src 'self' http://127.0.0.1:47811")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        // Plain HTTP here: HSTS is sent only over TLS (Spring Security writes it on secure requests).
        assertThat(response.headers().firstValue("Strict-Transport-Security")).isEmpty();
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void apiAnswersCarryOnlyTheHeadersAJsonAnswerNeeds() throws Exception {
        HttpResponse<String> challenge = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/challenges"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> refused = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/status"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(challenge.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(400);
        for (HttpResponse<String> answer : List.of(challenge, refused)) {
            // a challenge and a renewal token are for one client only: never stored by a cache
            assertThat(answer.headers().allValues("Cache-Control")).containsExactly("no-store");
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            // a document's headers, not an API answer's
            assertThat(answer.headers().map())
                    .doesNotContainKeys(
                            "content-security-policy",
                            "referrer-policy",
                            "x-frame-options",
                            "x-xss-protection",
                            "pragma",
                            "expires");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/?lang=en", "/agent"})
    void pagesHaveNoInlineScriptOrEventHandlers(String path) throws Exception {
        String html = page(path, "zh-TW").body();
        Matcher scripts =
                Pattern.compile("<script\\b([^>]*)>([\\s\\S]*?)</script>").matcher(html);
        while (scripts.find()) {
            assertThat(scripts.group(1)).contains("src=");
            assertThat(scripts.group(2)).isBlank();
        }
        assertThat(html).doesNotContainPattern("\\son[a-z]+\\s*=").doesNotContain("javascript:", "style=\"");
    }

    @Test
    void aStateChangingRequestOutsideTheApiNeedsACsrfToken() throws Exception {
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("lang=en"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(403);
    }

    @Test
    void everyPageTextExistsInBothLanguages() throws Exception {
        Set<String> zh = pageKeys("/messages.properties");
        Set<String> en = pageKeys("/messages_en.properties");
        assertThat(zh).isNotEmpty().isEqualTo(en);
        String template = new String(
                        getClass().getResourceAsStream("/templates/renew.html").readAllBytes(), StandardCharsets.UTF_8)
                + new String(
                        getClass().getResourceAsStream("/templates/agent.html").readAllBytes(), StandardCharsets.UTF_8)
                + new String(
                        getClass()
                                .getResourceAsStream("/templates/layout-head.html")
                                .readAllBytes(),
                        StandardCharsets.UTF_8);
        Matcher used = Pattern.compile("#\\{(page\\.[A-Za-z0-9_.]+)}").matcher(template);
        while (used.find()) {
            assertThat(zh).as("template key").contains(used.group(1));
        }
    }

    private Set<String> pageKeys(String bundle) throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream(bundle)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p.stringPropertyNames().stream()
                .filter(k -> k.startsWith("page."))
                .collect(Collectors.toSet());
    }
}
