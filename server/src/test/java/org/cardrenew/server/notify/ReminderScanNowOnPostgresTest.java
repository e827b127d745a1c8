package org.cardrenew.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cardrenew.server.store.ReminderRepository;
import org.cardrenew.server.store.ReminderState;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.Card;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scan run on request ({@code POST /api/v1/admin/reminders/scans}) at the same moment as the node's own scheduled
 * scan, on PostgreSQL (where the two statements can run in parallel and collide on reminder_once): every reminder
 * is created once, by one of them, whichever got there first.
 */
@TestPropertySource(properties = "cardrenew.enrollment.allow-explicit-validity=true")
class ReminderScanNowOnPostgresTest extends ApiTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private ReminderScan scheduledScan;

    @Autowired
    private ReminderRepository reminders;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        usePostgres(registry);
    }

    @Test
    void aScanOnRequestBesideTheScheduledScanCreatesEachReminderOnce() throws Exception {
        Instant now = clock.instant();
        // 20 cards with 20 days left (the 30-day reminder) and 20 with 5 days left (the 7-day one, 30 and 14 SKIPPED)
        for (int i = 0; i < 40; i++) {
            enroll(Card.p256(), holderId(), null, now.plus(Duration.ofDays(i % 2 == 0 ? 20 : 5)));
        }

        int[] first = scanBothAtOnce();
        assertThat(first[0] + first[1])
                .as("created by the request and by the schedule together")
                .isEqualTo(20 + 20 * 3);
        assertThat(reminders.countByState())
                .containsEntry(ReminderState.PENDING, 40L)
                .containsEntry(ReminderState.SKIPPED, 40L);

        int[] again = scanBothAtOnce();
        assertThat(again).containsExactly(0, 0);
        assertThat(auditRecords.all())
                .filteredOn(a -> a.action().equals("REMINDER_SCAN_RUN"))
                .hasSize(2);
    }

    /** Both scans released by one latch; returns what each created: {request, schedule}. */
    private int[] scanBothAtOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<HttpResponse<String>> request = threads.submit(() -> {
                go.await();
                return post("/api/v1/admin/reminders/scans", "", "Authorization", "Bearer " + ADMIN_TOKEN);
            });
            Future<ReminderScan.Result> schedule = threads.submit(() -> {
                go.await();
                return scheduledScan.scan();
            });
            go.countDown();
            HttpResponse<String> answer = request.get(2, TimeUnit.MINUTES);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode run = JSON.readTree(answer.body());
            return new int[] {
                run.get("created").asInt(), schedule.get(2, TimeUnit.MINUTES).created()
            };
        } finally {
            threads.shutdownNow();
        }
    }
}
