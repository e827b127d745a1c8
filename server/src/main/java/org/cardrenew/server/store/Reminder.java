package org.cardrenew.server.store;

import java.time.Instant;

/**
 * One expiry reminder of a card pair, as the outbox keeps it.
 *
 * @param offsetDays  the reminder is for this many (Asia/Taipei calendar) days before notAfter
 * @param attempts    delivery attempts in the current generation
 * @param generation  0 for the scheduled reminder, +1 for each re-send by an administrator
 */
public record Reminder(
        ReminderId id,
        PairId pairId,
        HolderId holderId,
        int offsetDays,
        ReminderState state,
        Instant createdAt,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        int generation,
        String messageId,
        String recipient,
        Instant sentAt,
        String closedReason) {}
