package org.cardrenew.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.Reminder;
import org.cardrenew.server.store.ReminderState;
import org.cardrenew.server.testsupport.MutableClock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The outbox end to end on a real SMTP server (GreenMail) with a fixed clock: which day a reminder is due (Asia/Taipei),
 * catch-up after downtime, SMTP down then up, renewed pairs, holders without e-mail, the mail itself in both languages.
 * Run on H2 and PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReminderOutboxContract {

    /** 10:00 in Taipei on 2026-03-31. */
    static final Instant NOT_AFTER = Instant.parse("2026-03-31T02:00:00Z");
    /** 00:00 in Taipei on 2026-03-01 (notAfter's Taipei day − 30): the 30-day reminder is due from here. */
    static final Instant THIRTY_DAYS_DUE = Instant.parse("2026-02-28T16:00:00Z");

    protected DataSource dataSource;
    protected final MutableClock clock = new MutableClock();
    protected SmtpServer smtp;
    protected ReminderWorld node;

    protected abstract DataSource dataSource();

    @BeforeAll
    void migrate() {
        dataSource = dataSource();
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        smtp = new SmtpServer();
        node = new ReminderWorld(dataSource, clock, smtp.port);
    }

    @AfterAll
    void stopSmtp() {
        smtp.close();
    }

    /** Every test starts in a quiet world: earlier tests' cards revoked, their reminders closed, no mail. */
    @BeforeEach
    void quiet() {
        org.springframework.jdbc.core.simple.JdbcClient.create(dataSource)
                .sql("UPDATE card_pair SET status = 'REVOKED'")
                .update();
        node.scan.scan();
        node.sender.sendDue();
        smtp.clear();
    }

    @Test
    void nothingIsDueOneSecondBeforeMidnightInTaipeiAndTheThirtyDayReminderFromMidnight() {
        clock.set(THIRTY_DAYS_DUE.minusSeconds(3600 * 24 * 40));
        PairId pair = node.card("王小明", "xiaoming@example.gov.tw", "zh-TW", NOT_AFTER.plus(Duration.ofDays(3650)));
        // the same card, moved: its notAfter relative to the test's instants
        PairId due = node.card("林小華", "xiaohua@example.gov.tw", "zh-TW", NOT_AFTER);

        clock.set(THIRTY_DAYS_DUE.minusSeconds(1));
        node.scan.scan();
        assertThat(node.reminders.forPair(due)).isEmpty();

        clock.set(THIRTY_DAYS_DUE);
        node.scan.scan();
        assertThat(node.reminders.forPair(due))
                .extracting(Reminder::offsetDays, Reminder::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(30, ReminderState.PENDING));
        assertThat(node.reminders.forPair(pair)).isEmpty();

        assertThat(node.sender.sendDue()).isEqualTo(1);
        assertThat(smtp.received()).hasSize(1);
        node.scan.scan();
        assertThat(node.sender.sendDue()).as("never twice").isZero();
        assertThat(node.reminders.forPair(due)).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(ReminderState.SENT);
            assertThat(r.sentAt()).isEqualTo(THIRTY_DAYS_DUE);
            assertThat(r.recipient()).isEqualTo("xiaohua@example.gov.tw");
        });
    }

    @Test
    void eachOffsetIsSentOnItsTaipeiDayAndNoLater() {
        clock.set(THIRTY_DAYS_DUE.minus(Duration.ofDays(1)));
        PairId pair = node.card("陳大文", "dawen@example.gov.tw", "zh-TW", NOT_AFTER);
        List<Integer> sentOffsets = new ArrayList<>();
        for (int offset : List.of(30, 14, 7, 1)) {
            Instant due = NOT_AFTER
                    .plus(Duration.ofHours(8))
                    .truncatedTo(java.time.temporal.ChronoUnit.DAYS)
                    .minus(Duration.ofHours(8))
                    .minus(Duration.ofDays(offset));
            clock.set(due.minusSeconds(1));
            node.scan.scan();
            node.sender.sendDue();
            assertThat(smtp.received()).as("before the %d-day reminder", offset).hasSize(sentOffsets.size());
            clock.set(due);
            node.scan.scan();
            node.sender.sendDue();
            sentOffsets.add(offset);
            assertThat(smtp.received()).as("at the %d-day reminder", offset).hasSize(sentOffsets.size());
        }
        clock.set(NOT_AFTER);
        node.scan.scan();
        assertThat(node.sender.sendDue()).isZero();
        assertThat(node.reminders.forPair(pair))
                .extracting(Reminder::offsetDays)
                .containsExactly(30, 14, 7, 1);
        assertThat(node.reminders.forPair(pair)).allMatch(r -> r.state() == ReminderState.SENT);
    }

    @Test
    void aNodeThatWasDownSendsOnlyTheMostRecentDueReminderAndRecordsTheMissedOnesAsSkipped() {
        clock.set(THIRTY_DAYS_DUE.minus(Duration.ofDays(1)));
        PairId pair = node.card("張美玲", "meiling@example.gov.tw", "en", NOT_AFTER);

        clock.set(NOT_AFTER.minus(Duration.ofDays(5))); // down from before the 30-day until after the 7-day reminder
        node.scan.scan();
        assertThat(node.sender.sendDue()).isEqualTo(1);

        assertThat(states(pair))
                .containsExactly(
                        Map.entry(30, ReminderState.SKIPPED),
                        Map.entry(14, ReminderState.SKIPPED),
                        Map.entry(7, ReminderState.SENT));
        node.scan.scan();
        assertThat(node.sender.sendDue()).isZero();
        assertThat(smtp.received()).hasSize(1);
    }

    @Test
    void smtpDownThenUpLosesNothingAndSendsNothingTwice() throws Exception {
        clock.set(THIRTY_DAYS_DUE.minus(Duration.ofDays(1)));
        PairId first = node.card("黃志明", "zhiming@example.gov.tw", "zh-TW", NOT_AFTER);
        PairId second = node.card("Alice Wang", "alice@example.gov.tw", "en", NOT_AFTER);
        clock.set(THIRTY_DAYS_DUE.plusSeconds(60));
        node.scan.scan();
        double failedBefore =
                node.meters.get("cardrenew.reminders.failed").counter().count();
        double sentBefore =
                node.meters.get("cardrenew.reminders.sent").counter().count();

        smtp.stop();
        try {
            assertThat(node.sender.sendDue()).isZero();
            Reminder failed = node.reminders.forPair(first).get(0);
            assertThat(failed.state()).isEqualTo(ReminderState.PENDING);
            assertThat(failed.attempts()).isEqualTo(1);
            assertThat(failed.lastError()).contains("Exception");
            assertThat(failed.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));

            clock.advance(Duration.ofMinutes(1));
            assertThat(node.sender.sendDue()).isZero();
            Reminder again = node.reminders.forPair(first).get(0);
            assertThat(again.attempts()).isEqualTo(2);
            assertThat(again.nextAttemptAt())
                    .as("backoff doubles")
                    .isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));

            clock.advance(Duration.ofMinutes(1));
            assertThat(node.sender.sendDue())
                    .as("not before the backoff ran out")
                    .isZero();
            assertThat(node.reminders.forPair(first).get(0).attempts()).isEqualTo(2);
        } finally {
            smtp.start();
        }
        clock.advance(Duration.ofMinutes(1));
        assertThat(node.sender.sendDue()).isEqualTo(2);
        assertThat(node.sender.sendDue()).isZero();
        node.scan.scan();
        assertThat(node.sender.sendDue()).isZero();

        assertThat(smtp.received()).hasSize(2);
        assertThat(node.reminders.forPair(first).get(0).state()).isEqualTo(ReminderState.SENT);
        assertThat(node.reminders.forPair(second).get(0).state()).isEqualTo(ReminderState.SENT);
        assertThat(node.reminders.forPair(first).get(0).attempts()).isEqualTo(3);
        assertThat(node.meters.get("cardrenew.reminders.failed").counter().count() - failedBefore)
                .isEqualTo(4);
        assertThat(node.meters.get("cardrenew.reminders.sent").counter().count() - sentBefore)
                .isEqualTo(2);
    }

    @Test
    void aReminderStillUnsentWhenTheNextOffsetIsDueIsSkippedNotSentLate() {
        clock.set(THIRTY_DAYS_DUE.minus(Duration.ofDays(1)));
        PairId pair = node.card("吳家豪", "jiahao@example.gov.tw", "zh-TW", NOT_AFTER);
        clock.set(THIRTY_DAYS_DUE);
        node.scan.scan();
        smtp.stop();
        try {
            node.sender.sendDue();
        } finally {
            smtp.start();
        }
        clock.set(NOT_AFTER.minus(Duration.ofDays(14)));
        node.scan.scan();
        assertThat(node.sender.sendDue()).isEqualTo(1);
        assertThat(states(pair))
                .containsExactly(Map.entry(30, ReminderState.SKIPPED), Map.entry(14, ReminderState.SENT));
        assertThat(smtp.received()).hasSize(1);
    }

    @Test
    void aReminderClaimedByANodeThatDiedIsSentByAnotherOnceTheLeaseRunsOut() {
        clock.set(THIRTY_DAYS_DUE.minus(Duration.ofDays(1)));
        PairId pair = node.card("鄭雅婷", "yating@example.gov.tw", "zh-TW", NOT_AFTER);
        clock.set(THIRTY_DAYS_DUE);
        node.scan.scan();
        // a node claims the reminder and dies before sending it
        new org.springframework.transaction.support.TransactionTemplate(
                        new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource))
                .executeWithoutResult(s -> node.reminders.claimDue(
                        clock.instant(), clock.instant().plus(Duration.ofMinutes(5)), "dead-node", 10));

        clock.advance(Duration.ofMinutes(5));
        assertThat(node.sender.sendDue()).as("the lease still holds").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(node.sender.sendDue()).isEqualTo(1);
        assertThat(node.sender.sendDue()).isZero();
        assertThat(states(pair)).containsExactly(Map.entry(30, ReminderState.SENT));
        assertThat(smtp.received()).hasSize(1);
    }

    /** The documented at-least-once window: accepted by SMTP, then the node died before committing SENT. */
    @Test
    void aCopySentAgainAfterACrashBeforeTheCommitCarriesTheSameMessageId() throws Exception {
        clock.set(THIRTY_DAYS_DUE.minus(Duration.ofDays(1)));
        PairId pair = node.card("許文雄", "wenxiong@example.gov.tw", "zh-TW", NOT_AFTER);
        clock.set(THIRTY_DAYS_DUE);
        node.scan.scan();
        org.cardrenew.server.store.ReminderId id = new org.springframework.transaction.support.TransactionTemplate(
                        new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource))
                .execute(s -> node.reminders.claimDue(
                        clock.instant(), clock.instant().plus(Duration.ofMinutes(5)), "crashing-node", 10))
                .get(0);
        // the crashing node's delivery reaches the SMTP server; its UPDATE to SENT never happens
        org.springframework.mail.javamail.JavaMailSender smtpClient = ReminderWorld.smtp(smtp.port);
        MimeMessage first = smtpClient.createMimeMessage();
        node.mail.write(first, node.reminders.delivery(id).orElseThrow(), clock.instant());
        smtpClient.send(first);

        clock.advance(Duration.ofMinutes(6));
        assertThat(node.sender.sendDue()).isEqualTo(1);
        assertThat(smtp.received()).hasSize(2);
        assertThat(smtp.received().get(0).getMessageID())
                .isEqualTo(smtp.received().get(1).getMessageID())
                .isEqualTo(node.reminders.forPair(pair).get(0).messageId());
    }

    @Test
    void anAddressThatCannotBeWrittenEndsFailedAndIsNotRetried() {
        clock.set(THIRTY_DAYS_DUE.minus(Duration.ofDays(1)));
        PairId pair = node.card("錯誤信箱", "not an address@@example", "zh-TW", NOT_AFTER);
        clock.set(THIRTY_DAYS_DUE);
        node.scan.scan();
        assertThat(node.sender.sendDue()).isZero();
        Reminder failed = node.reminders.forPair(pair).get(0);
        assertThat(failed.state()).isEqualTo(ReminderState.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.lastError()).contains("AddressException");
        clock.advance(Duration.ofDays(1));
        assertThat(node.sender.sendDue()).isZero();
        assertThat(node.reminders.forPair(pair).get(0).attempts()).isEqualTo(1);
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void aRenewedPairGetsNoFurtherRemindersAndItsPendingOneIsCancelled() {
        clock.set(THIRTY_DAYS_DUE.minus(Duration.ofDays(1)));
        PairId pair = node.card("李安琪", "anqi@example.gov.tw", "zh-TW", NOT_AFTER);
        PairId other = node.card("Bob Lee", "bob@example.gov.tw", "en", NOT_AFTER);
        clock.set(THIRTY_DAYS_DUE);
        node.scan.scan();
        node.sender.sendDue();
        assertThat(smtp.received()).hasSize(2);

        clock.set(NOT_AFTER.minus(Duration.ofDays(14)));
        node.scan.scan(); // the 14-day reminders are PENDING ...
        node.renew(pair, NOT_AFTER.plus(Duration.ofDays(730)));
        node.renew(other, NOT_AFTER.plus(Duration.ofDays(730)));
        node.scan.scan(); // ... and the renewal cancels them
        assertThat(node.sender.sendDue()).isZero();

        clock.set(NOT_AFTER.minus(Duration.ofDays(1)));
        node.scan.scan();
        assertThat(node.sender.sendDue()).isZero();
        assertThat(states(pair))
                .containsExactly(Map.entry(30, ReminderState.SENT), Map.entry(14, ReminderState.CANCELLED));
        assertThat(node.reminders.forPair(pair).get(1).closedReason()).isEqualTo("renewed");
        assertThat(smtp.received()).hasSize(2);
    }

    @Test
    void aRenewalBetweenScanAndDeliveryStopsTheMail() {
        clock.set(THIRTY_DAYS_DUE.minus(Duration.ofDays(1)));
        PairId pair = node.card("周杰", "jie@example.gov.tw", "zh-TW", NOT_AFTER);
        clock.set(THIRTY_DAYS_DUE);
        node.scan.scan();
        node.renew(pair, NOT_AFTER.plus(Duration.ofDays(730)));
        assertThat(node.sender.sendDue()).isZero();
        assertThat(states(pair)).containsExactly(Map.entry(30, ReminderState.CANCELLED));
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void aHolderWithoutAnEmailAddressIsListedCountedAndRecordedNotSent() {
        clock.set(THIRTY_DAYS_DUE.minus(Duration.ofDays(1)));
        PairId pair = node.card("無信箱", null, "zh-TW", NOT_AFTER);
        clock.set(THIRTY_DAYS_DUE);
        node.scan.scan();
        assertThat(node.reminders.holdersWithoutEmail(clock.instant(), 0, 100)).anySatisfy(h -> {
            assertThat(h.name()).isEqualTo("無信箱");
            assertThat(h.notAfter()).isEqualTo(NOT_AFTER);
        });
        assertThat(node.meters
                        .get("cardrenew.reminders.holders.without.email")
                        .gauge()
                        .value())
                .isGreaterThanOrEqualTo(1);
        assertThat(node.sender.sendDue()).isZero();
        assertThat(states(pair)).containsExactly(Map.entry(30, ReminderState.NO_ADDRESS));
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void theMailInTraditionalChineseHasBothPartsTheDatesTheLinkAndItsOwnHeaders() throws Exception {
        clock.set(THIRTY_DAYS_DUE.minus(Duration.ofDays(1)));
        PairId pair = node.card("王小明", "xiaoming@example.gov.tw", "zh-TW", NOT_AFTER);
        clock.set(THIRTY_DAYS_DUE.plusSeconds(42));
        node.scan.scan();
        node.sender.sendDue();

        MimeMessage mail = only(smtp.received());
        Reminder reminder = node.reminders.forPair(pair).get(0);
        assertThat(mail.getSubject()).isEqualTo("您的卡片憑證將於 2026-03-31 到期，請線上展期");
        assertHeaders(mail, reminder, "xiaoming@example.gov.tw", "zh-TW");
        String text = part(mail, "text/plain");
        String html = part(mail, "text/html");
        for (String body : List.of(text, html)) {
            assertThat(body)
                    .contains("王小明 您好")
                    .contains("C=TW,O=內政部,CN=王小明,SERIALNUMBER=")
                    .contains("2026-03-31 10:00 (UTC+08:00)")
                    .contains("2026-03-01 10:00 (UTC+08:00)")
                    .contains("https://cardrenew.example.gov.tw/")
                    .contains("逾期須申請新卡");
        }
        assertThat(html).contains("href=\"https://cardrenew.example.gov.tw/\"").contains("<html lang=\"zh-TW\"");
        assertNoSecrets(text + html);
    }

    @Test
    void theMailInEnglishHasBothPartsTheDatesTheLinkAndItsOwnHeaders() throws Exception {
        clock.set(THIRTY_DAYS_DUE.minus(Duration.ofDays(1)));
        PairId pair = node.card("Alice Chen", "alice.chen@example.gov.tw", "en", NOT_AFTER);
        clock.set(NOT_AFTER.minus(Duration.ofDays(7)));
        node.scan.scan();
        node.sender.sendDue();

        MimeMessage mail = only(smtp.received());
        Reminder reminder = node.reminders.forPair(pair).get(2);
        assertThat(reminder.offsetDays()).isEqualTo(7);
        assertThat(mail.getSubject()).isEqualTo("Your card certificate expires on 2026-03-31: renew it online");
        assertHeaders(mail, reminder, "alice.chen@example.gov.tw", "en");
        String text = part(mail, "text/plain");
        String html = part(mail, "text/html");
        for (String body : List.of(text, html)) {
            assertThat(body)
                    .contains("Dear Alice Chen,")
                    .contains("C=TW,O=內政部,CN=Alice Chen,SERIALNUMBER=")
                    .contains("expires on 2026-03-31 10:00 (UTC+08:00)")
                    .contains("from 2026-03-01 10:00 (UTC+08:00) until 2026-03-31 10:00 (UTC+08:00)")
                    .contains("https://cardrenew.example.gov.tw/");
        }
        assertThat(html).contains("&quot;View certificate status&quot;").contains("<html lang=\"en\"");
        assertNoSecrets(text + html);
    }

    private void assertHeaders(MimeMessage mail, Reminder reminder, String to, String language) throws Exception {
        assertThat(mail.getSentDate())
                .isEqualTo(java.util.Date.from(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        assertThat(mail.getMessageID())
                .isEqualTo("<reminder-" + reminder.id().value() + ".0@cardrenew.example.gov.tw>")
                .isEqualTo(reminder.messageId());
        assertThat(mail.getRecipients(Message.RecipientType.TO))
                .extracting(Object::toString)
                .containsExactly(to);
        assertThat(mail.getFrom()).extracting(Object::toString).containsExactly("CardRenew <noreply@localhost>");
        assertThat(mail.getHeader("Content-Language", null)).isEqualTo(language);
        assertThat(mail.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
    }

    private static void assertNoSecrets(String body) {
        assertThat(body)
                .doesNotContainIgnoringCase("token")
                .doesNotContain("BEGIN ")
                .doesNotContain("password=");
    }

    protected Map<Integer, ReminderState> states(PairId pair) {
        return node.reminders.forPair(pair).stream()
                .collect(Collectors.toMap(
                        Reminder::offsetDays, Reminder::state, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private static MimeMessage only(List<MimeMessage> received) {
        assertThat(received).hasSize(1);
        return received.get(0);
    }

    /** The decoded content of the first body part of this type, searched through the multipart tree. */
    static String part(jakarta.mail.Part message, String type) throws Exception {
        if (message.isMimeType(type)) {
            return (String) message.getContent();
        }
        if (message.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String found = part(child, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
