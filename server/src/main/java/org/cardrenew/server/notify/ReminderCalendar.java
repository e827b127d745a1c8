package org.cardrenew.server.notify;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.cardrenew.server.store.OffsetDeadline;

/**
 * The day rule: the reminder "d days before notAfter" is due from 00:00 (in {@code zone}, Asia/Taipei by default) on
 * the calendar day that is d days before the calendar day of notAfter, and stays due until notAfter. A certificate
 * expiring 2026-03-31 10:00 Taipei gets its 14-day reminder from 2026-03-17 00:00 Taipei (2026-03-16T16:00Z).
 */
public record ReminderCalendar(ZoneId zone, List<Integer> offsets) {

    /** The first instant at which the {@code offsetDays} reminder of a certificate expiring at notAfter is due. */
    public Instant dueFrom(Instant notAfter, int offsetDays) {
        return notAfter.atZone(zone)
                .toLocalDate()
                .minusDays(offsetDays)
                .atStartOfDay(zone)
                .toInstant();
    }

    /**
     * For the scan at {@code now}: offset d is due for every certificate whose notAfter is before 00:00 of the day
     * today + d + 1 (the same rule as {@link #dueFrom}, solved for notAfter).
     */
    public List<OffsetDeadline> deadlines(Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        return offsets.stream()
                .map(d -> new OffsetDeadline(
                        d, today.plusDays(d + 1L).atStartOfDay(zone).toInstant()))
                .toList();
    }
}
