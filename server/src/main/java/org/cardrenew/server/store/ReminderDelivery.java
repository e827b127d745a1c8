package org.cardrenew.server.store;

import java.time.Instant;

/**
 * Everything the sender needs to decide about and write one reminder, read in one query.
 *
 * @param pairStatus   the pair's status now (a SUPERSEDED or REVOKED pair gets no reminder)
 * @param renewed      an ISSUED or COMPLETED renewal of the pair exists
 * @param latestOffset the smallest offset the pair has a reminder for (a later reminder overtakes this one)
 */
public record ReminderDelivery(
        Reminder reminder,
        PairStatus pairStatus,
        boolean renewed,
        int latestOffset,
        String holderName,
        String email,
        String language,
        String subjectDn,
        Instant notAfter) {}
