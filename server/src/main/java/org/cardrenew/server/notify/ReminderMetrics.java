package org.cardrenew.server.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.cardrenew.server.store.ReminderState;
import org.springframework.stereotype.Component;

/**
 * Reminder metrics on /actuator/prometheus: cardrenew_reminders_sent_total, cardrenew_reminders_failed_total
 * (failed delivery attempts), cardrenew_reminders_pending, cardrenew_reminders_outbox{state},
 * cardrenew_reminders_holders_without_email. Gauges show the counts of the last scan or delivery round, so a scrape
 * never queries the database.
 */
@Component
public class ReminderMetrics {

    private final Counter sent;
    private final Counter failed;
    private final Map<ReminderState, AtomicLong> outbox = new EnumMap<>(ReminderState.class);
    private final AtomicLong holdersWithoutEmail = new AtomicLong();

    public ReminderMetrics(MeterRegistry registry) {
        sent = Counter.builder("cardrenew.reminders.sent")
                .description("reminder mails accepted by the SMTP server")
                .register(registry);
        failed = Counter.builder("cardrenew.reminders.failed")
                .description("failed reminder delivery attempts")
                .register(registry);
        for (ReminderState state : ReminderState.values()) {
            AtomicLong count = new AtomicLong();
            outbox.put(state, count);
            Gauge.builder("cardrenew.reminders.outbox", count, AtomicLong::get)
                    .tag("state", state.name())
                    .description("reminders in the outbox by state")
                    .register(registry);
        }
        Gauge.builder("cardrenew.reminders.pending", outbox.get(ReminderState.PENDING), AtomicLong::get)
                .description("reminders waiting for delivery")
                .register(registry);
        Gauge.builder("cardrenew.reminders.holders.without.email", holdersWithoutEmail, AtomicLong::get)
                .description("holders with a current card and no e-mail address")
                .register(registry);
    }

    void sent() {
        sent.increment();
    }

    void failed() {
        failed.increment();
    }

    void outbox(Map<ReminderState, Long> counts) {
        counts.forEach((state, n) -> outbox.get(state).set(n));
    }

    void holdersWithoutEmail(long count) {
        holdersWithoutEmail.set(count);
    }
}
