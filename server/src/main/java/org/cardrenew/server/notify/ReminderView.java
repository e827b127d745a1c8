package org.cardrenew.server.notify;

import java.time.Instant;
import org.cardrenew.server.store.Reminder;

/** A reminder as the admin API shows it. */
public record ReminderView(
        long id,
        long pairId,
        String holderId,
        int offsetDays,
        String state,
        Instant createdAt,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        int generation,
        String messageId,
        String recipient,
        Instant sentAt,
        String closedReason) {

    static ReminderView of(Reminder r) {
        return new ReminderView(
                r.id().value(),
                r.pairId().value(),
                r.holderId().value(),
                r.offsetDays(),
                r.state().name(),
                r.createdAt(),
                r.attempts(),
                r.nextAttemptAt(),
                r.lastError(),
                r.generation(),
                r.messageId(),
                r.recipient(),
                r.sentAt(),
                r.closedReason());
    }
}
