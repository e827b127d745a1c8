package org.cardrenew.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.store.ConsoleUser;
import org.cardrenew.server.store.ConsoleUserRepository;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.MutableClock;
import org.cardrenew.server.testsupport.OnH2;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 13 in the real server: console lockout with its audit record and both ways out, TOTP keys sealed at rest,
 * unauthenticated refusals kept out of the audit chain, the metrics endpoint behind the admin token.
 */
@OnH2
class ConsoleHardeningTest extends ApiTestBase {

    private static final String PASSWORD = "correct horse battery staple";

    @Autowired
    private ConsoleUsers users;

    @Autowired
    private ConsoleUserRepository rows;

    @Autowired
    private ConsoleLockoutProperties lockout;

    @Test
    void fiveFailedSignInsLockTheAccountWithOneAuditRecordUntilAnAdministratorUnlocksIt() throws Exception {
        String name = user();
        long locks = chained("CONSOLE_ACCOUNT_LOCKED");
        for (int i = 0; i < lockout.failures(); i++) {
            assertThat(signIn(name, "wrong password", code(name, i))).endsWith("/console/login?error");
        }
        assertThat(chained("CONSOLE_ACCOUNT_LOCKED")).isEqualTo(locks + 1);
        assertThat(lastAudit().detail()).startsWith(name + ": 5 failed sign-ins in a row");

        assertThat(signIn(name, PASSWORD, code(name, 10)))
                .as("the right password does not open a locked account")
                .endsWith("/console/login?error");
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(uri("/console/login?error"))
                        .header("Accept-Language", "en")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body())
                .contains("or the account is locked", "5 failed sign-ins in a row lock an account for 15 minutes");

        assertThat(unlock(name, "wrong-token").statusCode()).isEqualTo(401);
        assertThat(unlock("nobody-" + name, ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(unlock(name, ADMIN_TOKEN).statusCode()).isEqualTo(204);
        assertThat(lastAudit().action()).isEqualTo("CONSOLE_USER_UNLOCKED");
        assertThat(signIn(name, PASSWORD, code(name, 11))).endsWith("/console");
    }

    /**
     * Issue 13: a locked account answers exactly as an unknown name (and a wrong password) do, and takes as long —
     * both run the password hash — so probing cannot tell which names exist; unknown names are never stored.
     */
    @Test
    void aLockedAccountAndAnUnknownNameGetTheSameAnswerInComparableTime() throws Exception {
        String name = user();
        for (int i = 0; i < lockout.failures(); i++) {
            signIn(name, "wrong password", code(name, 60 + i));
        }
        String unknown = "nobody-" + name;
        long locks = chained("CONSOLE_ACCOUNT_LOCKED");
        long lockedFastest = Long.MAX_VALUE;
        long unknownFastest = Long.MAX_VALUE;
        for (int i = 0; i <= lockout.failures(); i++) {
            long start = System.nanoTime();
            assertThat(signIn(name, PASSWORD, code(name, 70 + i))).endsWith("/console/login?error");
            lockedFastest = Math.min(lockedFastest, System.nanoTime() - start);
            start = System.nanoTime();
            assertThat(signIn(unknown, PASSWORD, "123456")).endsWith("/console/login?error");
            unknownFastest = Math.min(unknownFastest, System.nanoTime() - start);
        }
        // The password hash (bcrypt) dominates both; a locked account that skipped it answered several times faster.
        assertThat(lockedFastest)
                .as("fastest locked answer (ns) vs fastest unknown-name answer %d ns", unknownFastest)
                .isGreaterThan(unknownFastest / 2);
        assertThat(chained("CONSOLE_ACCOUNT_LOCKED"))
                .as("unknown names lock nothing")
                .isEqualTo(locks);
        assertThat(rows.find(unknown)).as("no account was made for the name").isEmpty();
    }

    @Test
    void anAdministratorSeesTheLockOnTheUsersPageAndEndsItThere() throws Exception {
        String name = user();
        for (int i = 0; i < lockout.failures(); i++) {
            signIn(name, "wrong password", code(name, 50 + i));
        }
        String administrator = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(administrator, ConsoleRole.ADMINISTRATOR, PASSWORD, "test");
        HttpClient console = browser();
        assertThat(post(
                                console,
                                "/console/login",
                                "username=" + administrator + "&password=" + enc(PASSWORD) + "&totp="
                                        + code(administrator, 56))
                        .headers()
                        .firstValue("Location"))
                .get()
                .asString()
                .endsWith("/console");
        String page = console.send(
                        HttpRequest.newBuilder(uri("/console/users"))
                                .header("Accept-Language", "en")
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(page).contains("locked after failed sign-ins until", "Unlock " + name);

        HttpResponse<String> unlocked = post(console, "/console/users/" + name + "/unlock", "");
        assertThat(unlocked.headers().firstValue("Location")).get().asString().endsWith("/console/users?unlocked");
        assertThat(lastAudit().actor()).isEqualTo(administrator);
        assertThat(lastAudit().action()).isEqualTo("CONSOLE_USER_UNLOCKED");
        assertThat(signIn(name, PASSWORD, code(name, 57))).endsWith("/console");
    }

    @Test
    void aLockEndsByItselfAfterItsDurationAndASuccessStartsTheCountAfresh() throws Exception {
        String name = user();
        for (int i = 0; i < lockout.failures() - 1; i++) {
            signIn(name, "wrong password", code(name, i));
        }
        assertThat(signIn(name, PASSWORD, code(name, 5)))
                .as("four failures: still open")
                .endsWith("/console");
        for (int i = 0; i < lockout.failures() - 1; i++) {
            signIn(name, "wrong password", code(name, 6 + i));
        }
        assertThat(signIn(name, PASSWORD, code(name, 12)))
                .as("the count started afresh")
                .endsWith("/console");

        for (int i = 0; i < lockout.failures(); i++) {
            signIn(name, PASSWORD, "000000".equals(code(name, 20 + i)) ? "111111" : "000000");
        }
        assertThat(signIn(name, PASSWORD, code(name, 30)))
                .as("wrong codes count too")
                .endsWith("?error");
        assertThat(signIn(name, PASSWORD, code(name, 30 + lockout.duration().toMinutes() + 1)))
                .endsWith("/console");
    }

    @Test
    void totpKeysAreSealedAtRestAndAKeyStoredBeforeSealingIsSealedAtStart() throws Exception {
        String name = user();
        byte[] stored = rows.find(name).orElseThrow().totpKey();
        assertThat(new String(stored, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("CRS1");
        assertThat(stored).isNotEqualTo(users.totpKey(name)).hasSize(4 + 12 + 20 + 16);

        String legacy = "legacy-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] raw = new byte[20];
        new java.security.SecureRandom().nextBytes(raw);
        ConsoleUser existing = rows.find(name).orElseThrow();
        rows.insert(new ConsoleUser(legacy, "AUDITOR", existing.passwordHash(), raw, -1, clock.instant(), "test"));
        users.sealStoredKeys();
        assertThat(rows.find(legacy).orElseThrow().totpKey()).isNotEqualTo(raw).startsWith("CRS1".getBytes());
        assertThat(users.totpKey(legacy)).isEqualTo(raw);
        assertThat(signIn(legacy, PASSWORD, code(legacy, 40))).endsWith("/console");
    }

    @Test
    void junkRenewalRequestsAddNothingToTheAuditTrailAndAreCounted() throws Exception {
        long records = auditRecords.count();
        double malformed = refused("REQUEST_REFUSED", "REQUEST_INVALID");
        double badToken = refused("RENEWAL_REFUSED", "RENEWAL_TOKEN_INVALID");
        for (int i = 0; i < 100; i++) {
            assertThat(post("/api/v1/renewals", "{\"renewalToken\": ").statusCode())
                    .isEqualTo(400);
            assertThat(post(
                                    "/api/v1/renewals",
                                    "{\"renewalToken\":\"junk-" + i + "\",\"signingCsr\":\"AA\","
                                            + "\"encryptionCsr\":\"AA\"}")
                            .statusCode())
                    .isEqualTo(401);
        }
        assertThat(auditRecords.count()).isEqualTo(records);
        assertThat(refused("REQUEST_REFUSED", "REQUEST_INVALID")).isEqualTo(malformed + 100);
        assertThat(refused("RENEWAL_REFUSED", "RENEWAL_TOKEN_INVALID")).isEqualTo(badToken + 100);
    }

    @Test
    void theMetricsNeedTheAdminTokenAndHealthStaysOpen() throws Exception {
        assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(401);
        HttpResponse<String> scraped = http.send(
                HttpRequest.newBuilder(uri("/actuator/prometheus"))
                        .header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).contains("cardrenew_decisions_total");
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    @Test
    void theTrailIsReadPageByPageInOrder() {
        List<AuditRecord> paged = new ArrayList<>();
        auditRecords.forEachInOrder(3, paged::add);
        assertThat(paged)
                .extracting(AuditRecord::seq)
                .containsExactlyElementsOf(
                        auditRecords.all().stream().map(AuditRecord::seq).toList());
    }

    private double refused(String action, String code) {
        return meters
                .find("cardrenew.decisions")
                .tag("action", action)
                .tag("outcome", "REFUSED")
                .tag("code", code)
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private long chained(String action) {
        return auditRecords.all().stream()
                .filter(r -> r.action().equals(action))
                .count();
    }

    private String user() {
        String name = "hardening-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, ConsoleRole.AUDITOR, PASSWORD, "test");
        return name;
    }

    /** The user's code at its own minute after START: each sign-in at a fresh TOTP step. */
    private String code(String name, long minute) {
        clock.set(MutableClock.START.plus(Duration.ofMinutes(minute)));
        return Totp.code(users.totpKey(name), clock.instant());
    }

    /** Signs in with the password form and answers where it redirected to. */
    private String signIn(String name, String password, String code) throws Exception {
        return post(
                        browser(),
                        "/console/login",
                        "username=" + enc(name) + "&password=" + enc(password) + "&totp=" + enc(code))
                .headers()
                .firstValue("Location")
                .orElse("");
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A console form posted with the session's CSRF token. */
    private HttpResponse<String> post(HttpClient browser, String path, String form) throws Exception {
        String page = browser.send(
                        HttpRequest.newBuilder(uri("/console/login")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).isTrue();
        return browser.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form + "&_csrf=" + enc(csrf.group(1))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> unlock(String name, String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri("/api/v1/admin/console/users/" + name + "/lock"))
                        .DELETE()
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
