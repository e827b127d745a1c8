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
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.SignedPayloads;
import org.cardrenew.server.store.ConsoleUserRepository;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.cardrenew.server.testsupport.Csrs;
import org.cardrenew.server.testsupport.MutableClock;
import org.cardrenew.server.testsupport.OnH2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every principal × every console page and admin endpoint, through the real server: console sessions from the
 * password + TOTP form login, the admin bearer token, and nobody.
 */
@OnH2
class ConsoleAccessMatrixTest extends ApiTestBase {

    enum Principal {
        NOBODY,
        ADMINISTRATOR,
        OFFICER,
        AUDITOR,
        ADMIN_TOKEN
    }

    private static final String PASSWORD = "correct horse battery staple";
    private static final AtomicLong LOGINS = new AtomicLong();
    private static final Map<Principal, HttpClient> CLIENTS = new EnumMap<>(Principal.class);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Autowired
    private ConsoleUsers users;

    @Autowired
    private ConsoleUserRepository userRows;

    static Stream<Arguments> matrix() {
        // expected status per principal: NOBODY, ADMINISTRATOR, OFFICER, AUDITOR, ADMIN_TOKEN (302 = to the login page)
        return Stream.of(
                        row("GET", "/console/login", 200, 200, 200, 200, 200),
                        row("GET", "/console", 302, 200, 200, 200, 302),
                        row("GET", "/console/dashboard/renewals.csv", 302, 200, 200, 200, 302),
                        row("GET", "/console/search?q=nobody", 302, 200, 200, 200, 302),
                        row("GET", "/console/search.csv?q=nobody", 302, 200, 200, 200, 302),
                        row("GET", "/console/certificates/0", 302, 404, 404, 404, 302),
                        row("GET", "/console/renewals/none", 302, 404, 404, 404, 302),
                        // state-changing console requests without the session's CSRF token: refused for everyone
                        row("POST", "/console/certificates/0/revocation", 403, 403, 403, 403, 403),
                        row("POST", "/console/card-sign-in", 403, 403, 403, 403, 403),
                        row("POST", "/console/reminders/0/resend", 403, 403, 403, 403, 403),
                        row("POST", "/console/login", 403, 403, 403, 403, 403),
                        row("POST", "/console/logout", 403, 403, 403, 403, 403),
                        row("GET", "/console/audit", 302, 200, 403, 200, 302),
                        row("GET", "/console/audit.csv", 302, 200, 403, 200, 302),
                        row("POST", "/console/audit/verification", 403, 403, 403, 403, 403),
                        row("GET", "/console/users", 302, 200, 403, 403, 302),
                        row("GET", "/console/enrollments", 302, 200, 200, 403, 302),
                        row("POST", "/console/enrollments", 403, 403, 403, 403, 403),
                        row("GET", "/console/certificates/0.pem", 302, 404, 404, 404, 302),
                        row("POST", "/console/users", 403, 403, 403, 403, 403),
                        row("POST", "/console/users/nobody/cards", 403, 403, 403, 403, 403),
                        row("POST", "/console/users/nobody/unlock", 403, 403, 403, 403, 403),
                        row("DELETE", "/api/v1/admin/console/users/nobody/lock", 401, 401, 401, 401, -1),
                        row("GET", "/console/system", 302, 200, 403, 403, 302),
                        row("GET", "/console/system/browser-policies/linux.json", 302, 200, 403, 403, 302),
                        row("GET", "/console/system/browser-policies/windows.reg", 302, 200, 403, 403, 302),
                        row("GET", "/console/system/browser-policies/macos.mobileconfig", 302, 200, 403, 403, 302),
                        row("GET", "/console/system/browser-policies/other.txt", 302, 404, 403, 403, 302),
                        row("GET", "/api/v1/admin/audit/verification", 401, 401, 401, 401, 200),
                        row("POST", "/api/v1/admin/audit/checkpoints", 401, 401, 401, 401, -1),
                        row("GET", "/api/v1/admin/console/users", 401, 401, 401, 401, 200),
                        row("POST", "/api/v1/admin/console/users", 401, 401, 401, 401, -1),
                        row("POST", "/api/v1/admin/console/users/nobody/cards", 401, 401, 401, 401, -1),
                        row("GET", "/api/v1/admin/reminders", 401, 401, 401, 401, -1),
                        row("GET", "/api/v1/admin/reminders/holders-without-email", 401, 401, 401, 401, -1),
                        row("POST", "/api/v1/admin/reminders/0/resend", 401, 401, 401, 401, -1),
                        row("POST", "/api/v1/admin/reminders/scans", 401, 401, 401, 401, 200),
                        row("POST", "/api/v1/admin/revocations", 401, 401, 401, 401, -1),
                        row("POST", "/api/v1/admin/enrollments", 401, 401, 401, 401, -1))
                .flatMap(r -> r);
    }

    private static Stream<Arguments> row(String method, String path, int... expected) {
        Principal[] principals = Principal.values();
        return Stream.of(principals)
                .map(p -> Arguments.argumentSet(p + " " + method + " " + path, p, method, path, expected[p.ordinal()]));
    }

    @ParameterizedTest
    @MethodSource("matrix")
    void access(Principal principal, String method, String path, int expected) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (principal == Principal.ADMIN_TOKEN) {
            request.header("Authorization", "Bearer " + ADMIN_TOKEN);
        }
        HttpResponse<String> response = client(principal).send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (expected == -1) {
            // allowed; the answer is the endpoint's own (200/204, or 400 for a missing parameter)
            assertThat(response.statusCode()).isNotIn(401, 403, 302);
        } else {
            assertThat(response.statusCode()).isEqualTo(expected);
        }
        if (expected == 302) {
            assertThat(response.headers().firstValue("Location"))
                    .get()
                    .asString()
                    .endsWith("/console/login");
        }
    }

    @Test
    void aWrongCodeAReplayedCodeAndAMissingCsrfTokenAreRefused() throws Exception {
        String name = "officer-" + RUN + "-x";
        users.create(name, ConsoleRole.OFFICER, PASSWORD, "test");
        clock.set(MutableClock.START.plus(Duration.ofDays(1)));
        String code = Totp.code(users.totpKey(name), clock.instant());
        String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);

        assertThat(login(newClient(), name, PASSWORD, wrong, true).headers().firstValue("Location"))
                .get()
                .asString()
                .endsWith("/console/login?error");
        assertThat(login(newClient(), name, "wrong password", code, true)
                        .headers()
                        .firstValue("Location"))
                .get()
                .asString()
                .endsWith("/console/login?error");
        assertThat(login(newClient(), name, PASSWORD, code, false).statusCode()).isEqualTo(403);
        HttpResponse<String> ok = login(newClient(), name, PASSWORD, code, true);
        assertThat(ok.headers().firstValue("Location")).get().asString().endsWith("/console");
        assertThat(login(newClient(), name, PASSWORD, code, true).headers().firstValue("Location"))
                .get()
                .asString()
                .endsWith("/console/login?error");
        // the refusals came from nobody signed in: counted and logged, not chained (AuditLog); the sign-in is chained
        assertThat(auditRecords.all())
                .noneSatisfy(r -> assertThat(r.action()).isEqualTo("CONSOLE_SIGN_IN_REFUSED"))
                .anySatisfy(r -> assertThat(r.actor()).isEqualTo(name));
    }

    @Test
    void theStartPageShowsTheThreeChartsInEnglishOnRequest() throws Exception {
        HttpResponse<String> page = inEnglish(client(Principal.OFFICER), "/console");
        assertThat(page.body())
                .contains(
                        "id=\"chart-renewals\"",
                        "id=\"chart-expiring\"",
                        "id=\"chart-refusals\"",
                        "Renewals completed per day",
                        "RA officer")
                .doesNotContain("<script", "style=");
    }

    @Test
    void theSystemPageNamesTheModulesThatSignForTheCaAndCheckHolders() throws Exception {
        HttpResponse<String> page = inEnglish(client(Principal.ADMINISTRATOR), "/console/system");
        org.cardrenew.ca.CryptoProviders providers = org.cardrenew.ca.CryptoProviders.jvm();
        // The embedded CA of this test signs through native crypto where the JVM has it, else through the JDK.
        String caModule = providers.nativeProvider().isPresent() ? "AmazonCorrettoCryptoProvider 2.5.0" : "Sun";
        assertThat(page.body())
                .contains("Crypto modules", "CA signatures: " + caModule)
                .contains("holder signature checks: " + providers.holderModules());
    }

    @Test
    void anOfficerFindsACardByHolderSeesItsRenewalHistoryAndEachDecisionOfTheRenewal() throws Exception {
        HttpClient officer = client(Principal.OFFICER);
        Renewable renewable = renewableCard();
        Card next = Card.p256();
        RenewalResponse renewal = client.renew(renewalRequest(renewable.token(), renewable.card(), next));
        confirm(renewal.renewalId(), next);
        String hit =
                get(officer, "/console/search?q=" + renewable.card().serial()).body();
        assertThat(hit).contains("/console/certificates/" + renewable.card().serial());
        String csv = get(officer, "/console/search.csv?q=" + renewable.card().serial())
                .body();
        String holderId = csv.lines().skip(1).findFirst().orElseThrow().split(",")[2];
        assertThat(get(officer, "/console/search.csv?q=" + holderId)
                        .body()
                        .lines()
                        .count())
                .isEqualTo(1 + 4);

        String certificate = get(
                        officer, "/console/certificates/" + renewable.card().serial())
                .body();
        assertThat(certificate).contains("/console/renewals/" + renewal.renewalId(), "COMPLETED");
        HttpResponse<String> detail = get(officer, "/console/renewals/" + renewal.renewalId());
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body()).contains("RENEWAL_ISSUED", "RENEWAL_CONFIRMED");
        assertThat(get(officer, "/console/renewals/no-such-renewal").statusCode())
                .isEqualTo(404);
    }

    @Test
    void anOfficerSignsInWithTheCardBoundToThemAndAnUnboundCardOrAReplayedChallengeIsRefused() throws Exception {
        String name = "card-officer-" + RUN;
        users.create(name, ConsoleRole.OFFICER, null, "test");
        Card officerCard = Card.p256();
        enroll(officerCard);
        Card strangerCard = Card.p256();
        enroll(strangerCard);
        HttpResponse<String> bound = send(
                HttpClient.newHttpClient(),
                "POST",
                "/api/v1/admin/console/users/" + name + "/cards",
                "{\"serial\":\"" + officerCard.serial() + "\"}",
                "Authorization",
                "Bearer " + ADMIN_TOKEN);
        assertThat(bound.statusCode()).isEqualTo(201);

        HttpClient stranger = newClient();
        assertThat(cardSignIn(stranger, strangerCard, signInChallenge()).statusCode())
                .isEqualTo(401);

        HttpClient officer = newClient();
        ChallengeResponse challenge = signInChallenge();
        assertThat(cardSignIn(officer, officerCard, challenge).statusCode()).isEqualTo(204);
        HttpResponse<String> start = get(officer, "/console");
        assertThat(start.statusCode()).isEqualTo(200);
        assertThat(start.body()).contains(name);
        assertThat(get(officer, "/console/audit").statusCode()).isEqualTo(403);

        assertThat(cardSignIn(newClient(), officerCard, challenge).statusCode())
                .as("challenge used")
                .isEqualTo(401);
    }

    @Test
    void anOfficerCardBoundByHolderSignsInWithTheNewCertificateAfterItsRenewalAndNeverWithASupersededOrRevokedOne()
            throws Exception {
        String name = "renewing-officer-" + RUN;
        users.create(name, ConsoleRole.OFFICER, null, "test");
        Renewable officer = renewableCard();
        assertThat(send(
                                HttpClient.newHttpClient(),
                                "POST",
                                "/api/v1/admin/console/users/" + name + "/cards",
                                "{\"serial\":\"" + officer.card().serial() + "\"}",
                                "Authorization",
                                "Bearer " + ADMIN_TOKEN)
                        .statusCode())
                .isEqualTo(201);
        Card next = Card.p256();
        RenewalResponse renewal = client.renew(renewalRequest(officer.token(), officer.card(), next));
        next.install(renewal.signingCertificate(), renewal.encryptionCertificate());
        // Issued but not confirmed: the old certificate is still the current one.
        assertThat(cardSignIn(newClient(), next, signInChallenge()).statusCode())
                .as("unconfirmed")
                .isEqualTo(401);
        assertThat(cardSignIn(newClient(), officer.card(), signInChallenge()).statusCode())
                .isEqualTo(204);

        confirm(renewal.renewalId(), next);
        assertThat(cardSignIn(newClient(), officer.card(), signInChallenge()).statusCode())
                .as("superseded")
                .isEqualTo(401);
        HttpClient renewed = newClient();
        assertThat(cardSignIn(renewed, next, signInChallenge()).statusCode()).isEqualTo(204);
        assertThat(get(renewed, "/console").body()).contains(name);

        assertThat(send(
                                HttpClient.newHttpClient(),
                                "POST",
                                "/api/v1/admin/revocations",
                                "{\"serial\":\"" + next.serial() + "\",\"reason\":\"keyCompromise\"}",
                                "Authorization",
                                "Bearer " + ADMIN_TOKEN)
                        .statusCode())
                .isEqualTo(200);
        assertThat(cardSignIn(newClient(), next, signInChallenge()).statusCode())
                .as("revoked")
                .isEqualTo(401);
    }

    @Test
    void bindingACardThisCaNeverIssuedIsRefused() throws Exception {
        String name = "no-card-" + RUN;
        users.create(name, ConsoleRole.OFFICER, null, "test");
        assertThat(send(
                                HttpClient.newHttpClient(),
                                "POST",
                                "/api/v1/admin/console/users/" + name + "/cards",
                                "{\"serial\":\"abcdef0123\"}",
                                "Authorization",
                                "Bearer " + ADMIN_TOKEN)
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> page =
                postForm(client(Principal.ADMINISTRATOR), "/console/users/" + name + "/cards", "serial=abcdef0123");
        assertThat(page.headers().firstValue("Location")).get().asString().endsWith("?refused=UNKNOWN_CARD");
    }

    @Test
    void anOfficerRevokesWithAReasonAndAnAuditorMayNot() throws Exception {
        Card card = Card.p256();
        enroll(card);
        String page = "/console/certificates/" + card.serial();
        assertThat(revoke(client(Principal.AUDITOR), page, "keyCompromise").statusCode())
                .isEqualTo(403);

        HttpResponse<String> revoked = revoke(client(Principal.OFFICER), page, "keyCompromise");
        assertThat(revoked.headers().firstValue("Location")).get().asString().endsWith(page + "?revoked=1");
        assertThat(certificates.findBySerial(card.serial()).orElseThrow().revoked())
                .isTrue();
        assertThat(auditRecords.all()).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("CONSOLE_REVOCATION_REQUESTED");
            assertThat(r.actor()).startsWith("officer-");
            assertThat(r.certificateSerial()).isEqualTo(card.serial());
        });
        HttpResponse<String> again = revoke(client(Principal.OFFICER), page, "keyCompromise");
        assertThat(again.headers().firstValue("Location")).get().asString().endsWith("?refused=CERTIFICATE_REVOKED");
        assertThat(get(client(Principal.OFFICER), page).body()).contains("REVOKED", "keyCompromise");
    }

    @Test
    void theRevokeFormOffersTheCertificateOrTheWholeCardExplainedAndTheCardScopeRevokesBoth() throws Exception {
        Card card = Card.p256();
        enroll(card);
        String page = "/console/certificates/" + card.serial();
        HttpResponse<String> form = inEnglish(client(Principal.OFFICER), page);
        assertThat(form.body())
                .contains("value=\"certificate\"", "value=\"card\"", "The whole card", "This certificate only")
                .contains("aria-describedby=\"scope-card-hint\"", "including new ones issued but not yet");

        HttpResponse<String> revoked = revoke(client(Principal.OFFICER), page, "keyCompromise&scope=card");
        assertThat(revoked.headers().firstValue("Location")).get().asString().endsWith(page + "?revoked=2");
        assertThat(certificates.findBySerial(card.serial()).orElseThrow().revoked())
                .isTrue();
        assertThat(certificates
                        .findBySerial(card.encryption.getSerialNumber().toString(16))
                        .orElseThrow()
                        .revoked())
                .as("the card's encryption certificate too")
                .isTrue();
    }

    @Test
    void anOfficerMayAskForAReminderAgainAndAnAuditorMayNot() throws Exception {
        assertThat(postForm(client(Principal.AUDITOR), "/console/reminders/999999/resend", "serial=ab")
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> unknown =
                postForm(client(Principal.OFFICER), "/console/reminders/999999/resend", "serial=ab");
        assertThat(unknown.headers().firstValue("Location"))
                .get()
                .asString()
                .endsWith("/console/certificates/ab?resent=NOT_FOUND");
        assertThat(auditRecords.all()).anySatisfy(r -> assertThat(r.action()).isEqualTo("CONSOLE_RESEND_REQUESTED"));
    }

    @Test
    void anAdministratorCreatesAUserOnTheUsersPageAndBindsACardAndAnOfficerMayNot() throws Exception {
        String name = "paged-" + RUN;
        assertThat(postForm(client(Principal.OFFICER), "/console/users", "name=" + name + "&role=OFFICER")
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> created =
                postForm(client(Principal.ADMINISTRATOR), "/console/users", "name=" + name + "&role=OFFICER");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body())
                .contains("id=\"new-password\"", "otpauth://totp/CardRenew:" + name)
                .doesNotContain("<script", "style=");
        assertThat(userRows.find(name).orElseThrow().role()).isEqualTo("OFFICER");
        assertThat(postForm(client(Principal.ADMINISTRATOR), "/console/users", "name=" + name + "&role=AUDITOR")
                        .body())
                .contains("role=\"alert\"");

        Card card = Card.p256();
        enroll(card);
        assertThat(postForm(client(Principal.AUDITOR), "/console/users/" + name + "/cards", "serial=" + card.serial())
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> bound = postForm(
                client(Principal.ADMINISTRATOR), "/console/users/" + name + "/cards", "serial=" + card.serial());
        assertThat(bound.headers().firstValue("Location")).get().asString().endsWith("/console/users?bound");
        HttpResponse<String> again = postForm(
                client(Principal.ADMINISTRATOR), "/console/users/" + name + "/cards", "serial=" + card.serial());
        assertThat(again.headers().firstValue("Location")).get().asString().endsWith("?refused=CARD_TAKEN");
        assertThat(cardSignIn(newClient(), card, signInChallenge()).statusCode())
                .isEqualTo(204);

        HttpResponse<String> en = inEnglish(client(Principal.ADMINISTRATOR), "/console/users");
        assertThat(en.body()).contains("Console users and their roles", name, "RA officer", "name=\"_csrf\"");
        assertThat(get(client(Principal.ADMINISTRATOR), "/console/users").body())
                .contains("主控台使用者與角色");
        assertThat(auditRecords.all()).anySatisfy(r -> {
            assertThat(r.actor()).startsWith("administrator-");
            assertThat(r.code()).isEqualTo("CARD_BOUND");
        });
    }

    @Test
    void anOfficerEnrollsANewCardFromPastedCsrsAndDownloadsThePemAndAnAuditorMayNot() throws Exception {
        Card card = Card.p256();
        javax.security.auth.x500.X500Principal anything = new javax.security.auth.x500.X500Principal("CN=workstation");
        String holder = "console-" + RUN;
        String form = "holderId=" + holder + "&name=" + enc("林小華") + "&organization=" + enc("內政部")
                + "&email=&language=en&signingCsr=" + enc(pem(Csrs.of(card.signingKeys, anything)))
                + "&encryptionCsr=" + enc(pem(Csrs.of(card.encryptionKeys, anything)));
        assertThat(postForm(client(Principal.AUDITOR), "/console/enrollments", form)
                        .statusCode())
                .isEqualTo(403);

        HttpResponse<String> issued = postForm(client(Principal.OFFICER), "/console/enrollments", form);
        assertThat(issued.statusCode()).isEqualTo(200);
        assertThat(issued.body())
                .contains("id=\"issued\"", "-----BEGIN CERTIFICATE-----")
                .doesNotContain("<script", "style=");
        Matcher serial =
                Pattern.compile("/console/certificates/([0-9a-f]+)\\.pem").matcher(issued.body());
        assertThat(serial.find()).isTrue();
        HttpResponse<String> pem = get(client(Principal.OFFICER), "/console/certificates/" + serial.group(1) + ".pem");
        assertThat(pem.statusCode()).isEqualTo(200);
        assertThat(Card.certificate(pem.body().replaceAll("-----[A-Z ]+-----|\\s", ""))
                        .getSubjectX500Principal()
                        .getName())
                .contains("CN=林小華");
        assertThat(auditRecords.all()).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("ENROLLED");
            assertThat(r.actor()).startsWith("officer-");
        });

        HttpResponse<String> again = postForm(client(Principal.OFFICER), "/console/enrollments", form);
        assertThat(again.body()).contains("id=\"refused\"", "KEY_NOT_NEW").doesNotContain("id=\"issued\"");
        assertThat(auditRecords.all()).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("ENROLLMENT_REFUSED");
            assertThat(r.actor()).startsWith("officer-");
        });
        HttpResponse<String> explicit =
                postForm(client(Principal.OFFICER), "/console/enrollments", form + "&notAfter=2030-01-01T00:00:00Z");
        assertThat(explicit.body()).contains("EXPLICIT_VALIDITY_NOT_ALLOWED");
    }

    private static String pem(String base64Der) {
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + base64Der.replaceAll("(.{64})", "$1\n")
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    private HttpResponse<String> postForm(HttpClient browser, String path, String form) throws Exception {
        HttpResponse<String> page = browser.send(
                HttpRequest.newBuilder(uri("/console/login")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(token.find()).isTrue();
        return browser.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form + "&_csrf=" + enc(token.group(1))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> revoke(HttpClient browser, String page, String reason) throws Exception {
        // the CSRF token from any console form of this session
        HttpResponse<String> form = browser.send(
                HttpRequest.newBuilder(uri("/console/login")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(token.find()).isTrue();
        return browser.send(
                HttpRequest.newBuilder(uri(page + "/revocation"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("reason=" + reason + "&_csrf=" + enc(token.group(1))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> cardSignIn(HttpClient browser, Card card, ChallengeResponse challenge)
            throws Exception {
        HttpResponse<String> page = browser.send(
                HttpRequest.newBuilder(uri("/console/login")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(token.find()).isTrue();
        String body = "{\"challengeId\":\"" + challenge.challengeId() + "\",\"certificate\":\""
                + card.signingCertificateBase64() + "\",\"signature\":\""
                + card.sign(SignedPayloads.consoleSignIn(challenge.nonce())) + "\",\"signatureAlgorithm\":\""
                + card.algorithm() + "\"}";
        return send(browser, "POST", "/console/card-sign-in", body, "X-CSRF-TOKEN", token.group(1));
    }

    private HttpResponse<String> send(HttpClient browser, String method, String path, String json, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> inEnglish(HttpClient client, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Accept-Language", "en")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteStrict() throws Exception {
        HttpResponse<String> page = newClient()
                .send(HttpRequest.newBuilder(uri("/console/login")).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID"))
                .findFirst()
                .orElseThrow();
        assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .get()
                .asString()
                .contains("script-src 'self'");
        // scripts only as external files (the card sign-in module): nothing inline for the CSP to block
        assertThat(page.body())
                .doesNotContainPattern("<script(?![^>]*\\ssrc=\"/js/)")
                .contains("<script type=\"module\" src=\"/js/console-card-sign-in.js\"></script>");
    }

    @Test
    void theAuditPageShowsTheLastVerificationInBothLanguagesAndVerifiesOnlyOnRequest() throws Exception {
        HttpClient auditor = client(Principal.AUDITOR);
        long verifications = verifications();
        get(auditor, "/console/audit");
        assertThat(verifications()).as("a page view verifies nothing").isEqualTo(verifications);
        HttpResponse<String> verified = postForm(auditor, "/console/audit/verification", "");
        assertThat(verified.headers().firstValue("Location")).get().asString().endsWith("/console/audit");
        assertThat(verifications()).isEqualTo(verifications + 1);
        HttpResponse<String> zh = auditor.send(
                HttpRequest.newBuilder(uri("/console/audit")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(zh.body()).contains("稽核紀錄完整");
        HttpResponse<String> en = auditor.send(
                HttpRequest.newBuilder(uri("/console/audit"))
                        .header("Accept-Language", "en")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(en.body()).contains("the audit trail is intact", "by auditor-" + RUN);
        HttpResponse<String> csv = auditor.send(
                HttpRequest.newBuilder(uri("/console/audit.csv")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.headers().firstValue("Content-Type")).get().asString().startsWith("text/csv");
        assertThat(csv.body()).startsWith("seq,occurred_at,actor,action");
    }

    private long verifications() {
        return auditRecords.all().stream()
                .filter(r -> r.action().equals("AUDIT_VERIFIED"))
                .count();
    }

    private HttpClient client(Principal principal) throws Exception {
        synchronized (CLIENTS) {
            HttpClient existing = CLIENTS.get(principal);
            if (existing != null) {
                return existing;
            }
            HttpClient client = newClient();
            if (principal != Principal.NOBODY && principal != Principal.ADMIN_TOKEN) {
                String name = principal.name().toLowerCase() + "-" + RUN;
                users.create(name, ConsoleRole.valueOf(principal.name()), PASSWORD, "test");
                // each login at its own TOTP step: a code is accepted once
                clock.set(MutableClock.START.plus(Duration.ofMinutes(LOGINS.incrementAndGet())));
                String code = Totp.code(users.totpKey(name), clock.instant());
                HttpResponse<String> login = login(client, name, PASSWORD, code, true);
                assertThat(login.headers().firstValue("Location"))
                        .get()
                        .asString()
                        .endsWith("/console");
            }
            CLIENTS.put(principal, client);
            return client;
        }
    }

    private HttpResponse<String> login(HttpClient client, String name, String password, String code, boolean csrf)
            throws Exception {
        HttpResponse<String> page = client.send(
                HttpRequest.newBuilder(uri("/console/login")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(token.find()).as(page.body()).isTrue();
        String form = "username=" + enc(name) + "&password=" + enc(password) + "&totp=" + enc(code)
                + (csrf ? "&_csrf=" + enc(token.group(1)) : "");
        return client.send(
                HttpRequest.newBuilder(uri("/console/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
