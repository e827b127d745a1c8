package org.cardrenew.server.console;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cardrenew.server.store.ConsoleStatistics;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The dashboard's three charts: renewals per day (last 30 days), active pairs expiring per week (next 26 weeks,
 * weeks start on Monday), refusals by reason (last 30 days); days in the agency's zone (cardrenew.reminders.zone).
 */
@Service
public class Dashboard {

    static final int DAYS = 30;
    static final int WEEKS = 26;

    /** One bar: its label, its count, and its length in percent of the longest bar. */
    public record Bar(String label, long count, int percent) {}

    /** A chart's bars, and the CSV name of its list. */
    public record Chart(String name, List<Bar> bars) {}

    private final ConsoleStatistics statistics;
    private final Clock clock;
    private final ZoneId zone;

    public Dashboard(
            ConsoleStatistics statistics, Clock clock, @Value("${cardrenew.reminders.zone:Asia/Taipei}") ZoneId zone) {
        this.statistics = statistics;
        this.clock = clock;
        this.zone = zone;
    }

    public Chart renewalsPerDay() {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        LocalDate first = today.minusDays(DAYS - 1);
        Map<LocalDate, Long> counts = new TreeMap<>();
        for (int i = 0; i < DAYS; i++) {
            counts.put(first.plusDays(i), 0L);
        }
        for (Instant at : statistics.renewalsCompleted(start(first), start(today.plusDays(1)))) {
            counts.merge(at.atZone(zone).toLocalDate(), 1L, Long::sum);
        }
        return chart("renewals", counts);
    }

    public Chart expiringPerWeek() {
        LocalDate monday = LocalDate.now(clock.withZone(zone)).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Map<LocalDate, Long> counts = new TreeMap<>();
        for (int i = 0; i < WEEKS; i++) {
            counts.put(monday.plusWeeks(i), 0L);
        }
        for (Instant at : statistics.activePairsExpiring(start(monday), start(monday.plusWeeks(WEEKS)))) {
            LocalDate day = at.atZone(zone).toLocalDate();
            counts.merge(day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)), 1L, Long::sum);
        }
        return chart("expiring", counts);
    }

    public Chart refusalsByReason() {
        LocalDate first = LocalDate.now(clock.withZone(zone)).minusDays(DAYS - 1);
        Map<String, Long> counts = statistics.refusalsByCode(start(first));
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        List<Bar> bars = new ArrayList<>();
        counts.forEach((code, n) -> bars.add(new Bar(code, n, percent(n, max))));
        return new Chart("refusals", bars);
    }

    private Instant start(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    private static Chart chart(String name, Map<LocalDate, Long> counts) {
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        List<Bar> bars = new ArrayList<>();
        counts.forEach((day, n) -> bars.add(new Bar(day.toString(), n, percent(n, max))));
        return new Chart(name, bars);
    }

    private static int percent(long n, long max) {
        return max == 0 ? 0 : (int) Math.round(100.0 * n / max);
    }
}
