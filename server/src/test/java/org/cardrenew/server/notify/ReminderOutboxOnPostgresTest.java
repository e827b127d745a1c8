package org.cardrenew.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.Reminder;
import org.cardrenew.server.store.ReminderState;
import org.cardrenew.server.testsupport.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The reminder outbox on PostgreSQL, in a fresh schema; plus two nodes (each its own connections, scan and sender) on
 * the one database: every reminder is created once and sent once.
 */
class ReminderOutboxOnPostgresTest extends ReminderOutboxContract {

    private PostgresSchema schema;

    @Override
    protected DataSource dataSource() {
        schema = PostgresSchema.fresh();
        return connections();
    }

    /** A small pool of its own: one per node, as each server node has its own. */
    private DataSource connections() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(schema.url());
        pool.setUsername(schema.user());
        pool.setPassword(schema.password());
        pool.setMaximumPoolSize(3);
        pools.add(pool);
        return pool;
    }

    private final List<HikariDataSource> pools = new ArrayList<>();

    @AfterAll
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    @Test
    void twoNodesScanningAndSendingAtOnceSendEachReminderExactlyOnce() throws Exception {
        clock.set(THIRTY_DAYS_DUE.minus(Duration.ofDays(1)));
        List<PairId> cards = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            cards.add(node.card("持卡人" + i, "holder" + i + "@example.gov.tw", i % 2 == 0 ? "zh-TW" : "en", NOT_AFTER));
        }
        ReminderProperties smallBatches = new ReminderProperties(
                true,
                List.of(30, 14, 7, 1),
                Duration.ofHours(1),
                Duration.ofMinutes(1),
                Duration.ofMinutes(1),
                java.time.ZoneId.of("Asia/Taipei"),
                "CardRenew <noreply@localhost>",
                7,
                Duration.ofMinutes(5),
                Duration.ofMinutes(1),
                Duration.ofHours(1));
        ReminderWorld one = new ReminderWorld(connections(), clock, smtp.port, smallBatches);
        ReminderWorld two = new ReminderWorld(connections(), clock, smtp.port, smallBatches);
        clock.set(THIRTY_DAYS_DUE);

        int[] sent = runTogether(one, two);

        assertThat(sent[0] + sent[1]).isEqualTo(60);
        assertThat(sent[0]).as("both nodes took part").isPositive();
        assertThat(sent[1]).as("both nodes took part").isPositive();
        List<MimeMessage> received = smtp.received();
        assertThat(received).hasSize(60);
        assertThat(received.stream()
                        .map(ReminderOutboxOnPostgresTest::messageId)
                        .distinct())
                .hasSize(60);
        for (PairId card : cards) {
            assertThat(node.reminders.forPair(card)).singleElement().satisfies(r -> {
                assertThat(r.offsetDays()).isEqualTo(30);
                assertThat(r.state()).isEqualTo(ReminderState.SENT);
                assertThat(r.attempts()).isEqualTo(1);
            });
        }

        // the next offset, again with both nodes at once
        clock.set(NOT_AFTER.minus(Duration.ofDays(14)));
        int[] again = runTogether(one, two);
        assertThat(again[0] + again[1]).isEqualTo(60);
        assertThat(smtp.received()).hasSize(120);
        assertThat(cards)
                .allSatisfy(card -> assertThat(node.reminders.forPair(card))
                        .extracting(Reminder::state)
                        .containsExactly(ReminderState.SENT, ReminderState.SENT));
    }

    /** Both nodes scan and then send in a loop until nothing is due, started together. */
    private static int[] runTogether(ReminderWorld one, ReminderWorld two) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (ReminderWorld node : List.of(one, two)) {
                Callable<Integer> run = () -> {
                    start.await();
                    node.scan.scan();
                    int sent = 0;
                    for (int n; (n = node.sender.sendDue()) > 0; ) {
                        sent += n;
                    }
                    return sent;
                };
                results.add(threads.submit(run));
            }
            return new int[] {results.get(0).get(), results.get(1).get()};
        } finally {
            threads.shutdownNow();
        }
    }

    private static String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
