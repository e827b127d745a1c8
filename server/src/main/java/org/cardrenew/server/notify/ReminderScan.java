package org.cardrenew.server.notify;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.cardrenew.server.store.ReminderRepository;
import org.cardrenew.server.store.ReminderState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * Writes due reminders into the outbox (one indexed INSERT ... SELECT; see {@link ReminderCalendar} for the day rule)
 * and closes PENDING ones that must not be sent any more (pair renewed, revoked or expired; overtaken by a later
 * offset). Safe on several nodes at once: UNIQUE (pair_id, offset_days) lets only one of them create a reminder.
 */
@Component
public class ReminderScan {

    private static final Logger log = LoggerFactory.getLogger(ReminderScan.class);
    /** A collision means another node just created some of the same rows; a repeat skips them. */
    private static final int ATTEMPTS = 5;

    private final ReminderRepository repository;
    private final ReminderCalendar calendar;
    private final ReminderMetrics metrics;
    private final Clock clock;

    public ReminderScan(
            ReminderRepository repository, ReminderProperties properties, ReminderMetrics metrics, Clock clock) {
        this.repository = repository;
        this.calendar = new ReminderCalendar(properties.zone(), properties.offsets());
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * What one scan changed, and the outbox after it.
     *
     * @param created   rows written: the PENDING reminder of each newly due pair and the SKIPPED rows of missed offsets
     * @param cancelled PENDING reminders closed because the pair was renewed, revoked or expired
     * @param skipped   PENDING reminders overtaken by a later offset of the same pair
     * @param outbox    every state's count after the scan
     * @param holdersWithoutEmail holders with a current card and no e-mail address
     */
    public record Result(
            int created, int cancelled, int skipped, Map<ReminderState, Long> outbox, long holdersWithoutEmail) {}

    public Result scan() {
        Instant now = clock.instant();
        int created = createDue(now);
        int cancelled = repository.cancelNoLongerCurrent(now);
        int skipped = repository.skipOvertaken(now);
        Map<ReminderState, Long> outbox = repository.countByState();
        long withoutEmail = repository.countHoldersWithoutEmail(now);
        metrics.outbox(outbox);
        metrics.holdersWithoutEmail(withoutEmail);
        if (created + cancelled + skipped > 0) {
            log.info(
                    "reminder scan: {} created (pending and missed), {} cancelled, {} overtaken",
                    created,
                    cancelled,
                    skipped);
        }
        return new Result(created, cancelled, skipped, outbox, withoutEmail);
    }

    private int createDue(Instant now) {
        for (int attempt = 1; ; attempt++) {
            try {
                return repository.insertDue(calendar.deadlines(now), now);
            } catch (DuplicateKeyException | PessimisticLockingFailureException collided) {
                if (attempt == ATTEMPTS) {
                    throw collided;
                }
                log.debug("reminder scan collided with another node's scan; repeating", collided);
            }
        }
    }
}
