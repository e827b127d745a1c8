package org.cardrenew.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.security.auth.x500.X500Principal;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.EnrollmentResponse;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.cardrenew.server.testsupport.Csrs;
import org.cardrenew.server.testsupport.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reminders inside the real server (H2, GreenMail as spring.mail.host): cards enrolled through the admin API,
 * the admin reminder API (list, re-send, holders without e-mail, admin token) and the metrics on /actuator/prometheus.
 */
@TestPropertySource(
        properties = {
            // the schedule is registered but its first round would come after the test: scan and delivery are driven
            // here
            "cardrenew.reminders.enabled=true",
            "cardrenew.reminders.initial-delay=PT1H",
            "cardrenew.enrollment.allow-explicit-validity=true",
            "cardrenew.public-url=https://cardrenew.example.gov.tw",
            "cardrenew.reminders.from=CardRenew <cardrenew@example.gov.tw>"
        })
class ReminderAdminApiTest extends ApiTestBase {

    private static final SmtpServer SMTP = new SmtpServer();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private ReminderScan scan;

    @Autowired
    private ReminderSender sender;

    @Autowired
    private java.util.List<org.springframework.scheduling.config.ScheduledTaskHolder> scheduled;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add(
                "spring.datasource.url",
                () -> "jdbc:h2:mem:reminders-api-" + UUID.randomUUID()
                        + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        registry.add("cardrenew.data-dir", () -> "target/test-data/reminders-api");
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.port);
    }

    @AfterAll
    static void stopSmtp() {
        SMTP.close();
    }

    @Test
    void administratorsListReSendAndSeeWhoCannotBeReached() throws Exception {
        Instant notAfter = clock.instant().plus(Duration.ofDays(20));
        String reachable = enrollCard("holder@example.gov.tw", "en", notAfter);
        String unreachable = enrollCard(null, "zh-TW", notAfter);

        scan.scan();
        assertThat(sender.sendDue()).isEqualTo(1);
        assertThat(SMTP.received()).hasSize(1);
        MimeMessage mail = SMTP.received().get(0);
        assertThat(ReminderOutboxContract.part(mail, "text/plain")).contains("https://cardrenew.example.gov.tw/");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("CardRenew <cardrenew@example.gov.tw>");

        assertThat(get("/api/v1/admin/reminders").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/admin/reminders", "Authorization", "Bearer wrong-token")
                        .statusCode())
                .isEqualTo(401);

        JsonNode sent = json(admin("/api/v1/admin/reminders?state=SENT"));
        assertThat(sent.get("items")).hasSize(1);
        JsonNode reminder = sent.get("items").get(0);
        assertThat(reminder.get("holderId").asString()).isEqualTo(reachable);
        assertThat(reminder.get("offsetDays").asInt()).isEqualTo(30);
        assertThat(reminder.get("recipient").asString()).isEqualTo("holder@example.gov.tw");
        assertThat(sent.get("counts").get("SENT").asLong()).isEqualTo(1);
        assertThat(sent.get("counts").get("NO_ADDRESS").asLong()).isEqualTo(1);
        JsonNode noAddress = json(admin("/api/v1/admin/reminders?state=no_address&page=0&size=10"));
        assertThat(noAddress.get("items").get(0).get("holderId").asString()).isEqualTo(unreachable);
        assertThat(json(admin("/api/v1/admin/reminders?state=SENT&page=1&size=1"))
                        .get("items"))
                .isEmpty();

        JsonNode unreachableHolders = json(admin("/api/v1/admin/reminders/holders-without-email"));
        assertThat(unreachableHolders.get("total").asLong()).isEqualTo(1);
        assertThat(unreachableHolders.get("items").get(0).get("holderId").asString())
                .isEqualTo(unreachable);

        long id = reminder.get("id").asLong();
        HttpResponse<String> resent =
                post("/api/v1/admin/reminders/" + id + "/resend", "", "Authorization", "Bearer " + ADMIN_TOKEN);
        assertThat(resent.statusCode()).isEqualTo(202);
        assertThat(json(resent).get("state").asString()).isEqualTo("PENDING");
        assertThat(json(resent).get("generation").asInt()).isEqualTo(1);
        assertThat(sender.sendDue()).isEqualTo(1);
        assertThat(SMTP.received()).hasSize(2);
        assertThat(SMTP.received().get(1).getMessageID()).isEqualTo("<reminder-" + id + ".1@cardrenew.example.gov.tw>");
        assertThat(sender.sendDue()).isZero();

        HttpResponse<String> unknown = post(
                "/api/v1/admin/reminders/987654/resend",
                "",
                "Authorization",
                "Bearer " + ADMIN_TOKEN,
                "Accept-Language",
                "en");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("code").asString()).isEqualTo("REMINDER_NOT_FOUND");
        assertThat(json(unknown).get("message").asString()).isEqualTo("This reminder was not found.");
        assertThat(auditRecords.all())
                .filteredOn(a -> a.action().equals("REMINDER_RESENT"))
                .extracting(a -> a.outcome() + " " + a.code())
                .containsExactly("SUCCESS null", "REFUSED REMINDER_NOT_FOUND");
        HttpResponse<String> badState =
                get("/api/v1/admin/reminders?state=LOST", "Authorization", "Bearer " + ADMIN_TOKEN);
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(json(badState).get("code").asString()).isEqualTo("REQUEST_INVALID");

        String metrics = get("/actuator/prometheus", "Authorization", "Bearer " + ADMIN_TOKEN)
                .body();
        assertThat(metrics)
                .contains("cardrenew_reminders_sent_total 2.0")
                .contains("cardrenew_reminders_pending 0.0")
                .contains("cardrenew_reminders_holders_without_email 1.0")
                .contains("cardrenew_reminders_outbox{state=\"NO_ADDRESS\"} 1.0")
                .contains("cardrenew_reminders_failed_total 0.0");
    }

    @Test
    void anAdministratorRunsTheScanNowAndSeesWhatItChanged() throws Exception {
        Instant start = startOwnCounts(365);
        Card in20Days = Card.p256();
        Card in5Days = Card.p256();
        enrollCard(in20Days, "due@example.gov.tw", "en", start.plus(Duration.ofDays(20)));
        enrollCard(in5Days, "late@example.gov.tw", "zh-TW", start.plus(Duration.ofDays(5)));
        enrollCard(Card.p256(), "later@example.gov.tw", "en", start.plus(Duration.ofDays(60)));

        assertThat(post("/api/v1/admin/reminders/scans", "").statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/admin/reminders/scans", "", "Authorization", "Bearer wrong-token")
                        .statusCode())
                .isEqualTo(401);

        // 20 days left: the 30-day reminder. 5 days left: the 7-day one, 30 and 14 recorded as SKIPPED (missed).
        JsonNode first = json(scanNow());
        assertThat(counts(first)).isEqualTo("created 4, cancelled 0, skipped 0");
        assertThat(first.get("startedAt").asString()).isEqualTo(start.toString());
        assertThat(first.get("tookMillis").asLong()).isNotNegative();
        long pending = first.get("outbox").get("PENDING").asLong();
        long skipped = first.get("outbox").get("SKIPPED").asLong();
        assertThat(pending).isGreaterThanOrEqualTo(2);

        assertThat(counts(json(scanNow())))
                .as("steady state: nothing new")
                .isEqualTo("created 0, cancelled 0, skipped 0");

        // Six days on: the first card's 14-day reminder is due and overtakes its 30-day one; the second card expired.
        clock.set(start.plus(Duration.ofDays(6)));
        JsonNode sixDaysOn = json(scanNow());
        assertThat(counts(sixDaysOn)).isEqualTo("created 1, cancelled 1, skipped 1");
        assertThat(sixDaysOn.get("outbox").get("PENDING").asLong()).isEqualTo(pending - 1);
        assertThat(sixDaysOn.get("outbox").get("SKIPPED").asLong()).isEqualTo(skipped + 1);

        // After both expired nothing of theirs is PENDING any more (nor left for the other tests of this class).
        clock.set(start.plus(Duration.ofDays(21)));
        JsonNode expired = json(scanNow());
        assertThat(counts(expired)).isEqualTo("created 0, cancelled 1, skipped 0");
        assertThat(expired.get("outbox").get("PENDING").asLong()).isEqualTo(pending - 2);

        assertThat(auditRecords.all())
                .filteredOn(a -> a.action().equals("REMINDER_SCAN_RUN"))
                .extracting(
                        a -> a.outcome() + " " + a.actor() + " " + a.detail().replaceAll("in \\d+ ms", "in … ms"))
                .endsWith(
                        "SUCCESS admin 4 created, 0 cancelled, 0 overtaken in … ms",
                        "SUCCESS admin 0 created, 0 cancelled, 0 overtaken in … ms",
                        "SUCCESS admin 1 created, 1 cancelled, 1 overtaken in … ms",
                        "SUCCESS admin 0 created, 1 cancelled, 0 overtaken in … ms");
        assertThat(get("/v3/api-docs").body())
                .contains("\"/api/v1/admin/reminders/scans\"", "\"summary\":\"Run the reminder scan now\"");
    }

    @Test
    void aCardWithARevokedCertificateIsRemindedOfNothing() throws Exception {
        Instant start = startOwnCounts(730);
        Card kept = Card.p256();
        Card revokedLater = Card.p256();
        Card revokedFirst = Card.p256();
        enrollCard(kept, "kept@example.gov.tw", "en", start.plus(Duration.ofDays(20)));
        enrollCard(revokedLater, "later@example.gov.tw", "en", start.plus(Duration.ofDays(20)));
        enrollCard(revokedFirst, "first@example.gov.tw", "en", start.plus(Duration.ofDays(20)));
        revoke(revokedFirst.encryption.getSerialNumber().toString(16));

        assertThat(counts(json(scanNow())))
                .as("no reminder for the card revoked before the scan")
                .isEqualTo("created 2, cancelled 0, skipped 0");
        revoke(revokedLater.signing.getSerialNumber().toString(16));
        assertThat(counts(json(scanNow())))
                .as("the revoked card's pending reminder is cancelled")
                .isEqualTo("created 0, cancelled 1, skipped 0");
        assertThat(admin("/api/v1/admin/reminders?state=CANCELLED").body()).contains("revoked");

        clock.set(start.plus(Duration.ofDays(21)));
        scanNow(); // expire them, leaving nothing PENDING for the other tests of this class
    }

    /**
     * Moves the clock {@code days} on, where the cards of the other tests of this class have expired and none of
     * their reminders is PENDING, and scans once: whatever else is due is created now, so later counts are the
     * calling test's own.
     */
    private Instant startOwnCounts(int days) throws Exception {
        Instant start = MutableClock.START.plus(Duration.ofDays(days));
        clock.set(start);
        scanNow();
        return start;
    }

    private void revoke(String serial) throws Exception {
        HttpResponse<String> response = post(
                "/api/v1/admin/revocations",
                "{\"serial\":\"" + serial + "\",\"reason\":\"keyCompromise\"}",
                "Authorization",
                "Bearer " + ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static String counts(JsonNode scan) {
        return "created " + scan.get("created").asInt() + ", cancelled "
                + scan.get("cancelled").asInt() + ", skipped "
                + scan.get("skipped").asInt();
    }

    @Test
    void theScanRunsEveryScanIntervalAndTheSenderEverySendInterval() {
        assertThat(scheduled.stream()
                        .flatMap(h -> h.getScheduledTasks().stream())
                        .map(org.springframework.scheduling.config.ScheduledTask::getTask)
                        .filter(t -> t instanceof org.springframework.scheduling.config.FixedDelayTask)
                        .map(t -> (org.springframework.scheduling.config.FixedDelayTask) t)
                        .filter(t -> t.getRunnable().toString().contains(ReminderSchedule.class.getSimpleName()))
                        .map(t -> t.getIntervalDuration() + " after " + t.getInitialDelayDuration()))
                .containsExactlyInAnyOrder("PT1H after PT1H", "PT1M after PT1H");
    }

    private String enrollCard(String email, String language, Instant notAfter) throws Exception {
        return enrollCard(Card.p256(), email, language, notAfter);
    }

    private String enrollCard(Card card, String email, String language, Instant notAfter) throws Exception {
        String holderId = holderId();
        X500Principal placeholder = new X500Principal("CN=enrollment");
        EnrollmentResponse issued = client.enroll(
                new EnrollmentRequest(
                        holderId,
                        "Holder " + holderId,
                        "內政部",
                        email,
                        language,
                        Csrs.of(card.signingKeys, placeholder),
                        Csrs.of(card.encryptionKeys, placeholder),
                        null,
                        notAfter),
                ADMIN_TOKEN);
        card.install(issued.signingCertificate(), issued.encryptionCertificate());
        return holderId;
    }

    private HttpResponse<String> scanNow() throws Exception {
        HttpResponse<String> response =
                post("/api/v1/admin/reminders/scans", "", "Authorization", "Bearer " + ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private HttpResponse<String> admin(String path) throws Exception {
        HttpResponse<String> response = get(path, "Authorization", "Bearer " + ADMIN_TOKEN);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
