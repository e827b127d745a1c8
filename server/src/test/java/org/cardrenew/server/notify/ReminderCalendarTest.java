package org.cardrenew.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.cardrenew.server.store.OffsetDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReminderCalendarTest {

    private static final ReminderCalendar TAIPEI =
            new ReminderCalendar(ZoneId.of("Asia/Taipei"), List.of(1, 7, 14, 30));

    static Stream<Arguments> dueDays() {
        return Stream.of(
                Arguments.of("30 days, notAfter 10:00 Taipei", "2026-03-31T02:00:00Z", 30, "2026-02-28T16:00:00Z"),
                Arguments.of("14 days, notAfter 10:00 Taipei", "2026-03-31T02:00:00Z", 14, "2026-03-16T16:00:00Z"),
                Arguments.of("1 day, notAfter 10:00 Taipei", "2026-03-31T02:00:00Z", 1, "2026-03-29T16:00:00Z"),
                // 23:59:59 UTC on 03-30 is 07:59:59 on 03-31 in Taipei: the Taipei day counts, not the UTC day
                Arguments.of(
                        "notAfter late in the UTC day is the next Taipei day",
                        "2026-03-30T23:59:59Z",
                        1,
                        "2026-03-29T16:00:00Z"),
                Arguments.of("notAfter at 23:59:59 Taipei", "2026-03-31T15:59:59Z", 7, "2026-03-23T16:00:00Z"),
                Arguments.of("notAfter at 00:00 Taipei", "2026-03-31T16:00:00Z", 7, "2026-03-24T16:00:00Z"),
                Arguments.of("across a month with 28 days", "2026-03-10T02:00:00Z", 14, "2026-02-23T16:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dueDays")
    void aReminderIsDueFromMidnightInTaipeiOnItsDay(String name, String notAfter, int offset, String due) {
        assertThat(TAIPEI.dueFrom(Instant.parse(notAfter), offset)).isEqualTo(Instant.parse(due));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dueDays")
    void theScanDeadlinesAgreeWithTheDueDayOneSecondBeforeAndAtMidnight(
            String name, String notAfter, int offset, String due) {
        Instant expiry = Instant.parse(notAfter);
        Instant dueFrom = Instant.parse(due);
        assertThat(reached(expiry, offset, dueFrom.minusSeconds(1)))
                .as("one second before")
                .isFalse();
        assertThat(reached(expiry, offset, dueFrom)).as("at 00:00 Taipei").isTrue();
        assertThat(reached(expiry, offset, dueFrom.plus(Duration.ofHours(23))))
                .as("later that day")
                .isTrue();
    }

    @Test
    void deadlinesAreMidnightTaipeiOfTheDayAfterTodayPlusTheOffset() {
        // 2026-03-01 01:00 Taipei
        assertThat(TAIPEI.deadlines(Instant.parse("2026-02-28T17:00:00Z")))
                .containsExactly(
                        new OffsetDeadline(1, Instant.parse("2026-03-02T16:00:00Z")),
                        new OffsetDeadline(7, Instant.parse("2026-03-08T16:00:00Z")),
                        new OffsetDeadline(14, Instant.parse("2026-03-15T16:00:00Z")),
                        new OffsetDeadline(30, Instant.parse("2026-03-31T16:00:00Z")));
    }

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheMaximum() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofMinutes(1), Duration.ofHours(1));
        assertThat(List.of(1, 2, 3, 4, 7, 8, 50).stream().map(backoff::after))
                .containsExactly(
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(4),
                        Duration.ofMinutes(8),
                        Duration.ofHours(1),
                        Duration.ofHours(1),
                        Duration.ofHours(1));
    }

    private static boolean reached(Instant notAfter, int offset, Instant now) {
        return TAIPEI.deadlines(now).stream()
                .filter(d -> d.offsetDays() == offset)
                .anyMatch(d -> notAfter.isBefore(d.notAfterBefore()));
    }
}
