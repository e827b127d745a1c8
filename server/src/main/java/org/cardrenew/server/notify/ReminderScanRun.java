package org.cardrenew.server.notify;

import java.time.Instant;
import java.util.Map;

/**
 * One reminder scan run on an administrator's request: what it changed, the outbox after it, and how long it took.
 *
 * @param created    reminders written: the PENDING one of each newly due pair and SKIPPED rows for missed offsets
 * @param cancelled  PENDING reminders closed because the pair was renewed, revoked or expired meanwhile
 * @param skipped    PENDING reminders overtaken by a later offset of the same pair
 * @param outbox     every state's count after the scan
 * @param holdersWithoutEmail holders with a current card and no e-mail address
 * @param startedAt  the server's clock when the scan began
 * @param tookMillis wall-clock duration of the whole scan on the server, collision repeats included
 */
public record ReminderScanRun(
        int created,
        int cancelled,
        int skipped,
        Map<String, Long> outbox,
        long holdersWithoutEmail,
        Instant startedAt,
        long tookMillis) {}
