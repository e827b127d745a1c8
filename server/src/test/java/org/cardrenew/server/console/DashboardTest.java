package org.cardrenew.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cardrenew.server.store.ConsoleStatistics;
import org.junit.jupiter.api.Test;

/** The dashboard's grouping into Taipei days and Monday weeks, and bar lengths, on a fixed clock. */
class DashboardTest {

    // Wednesday 2026-03-04, 10:00 in Taipei
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T02:00:00Z"), ZoneOffset.UTC);
    private static final ZoneId TAIPEI = ZoneId.of("Asia/Taipei");

    private final ConsoleStatistics statistics = new ConsoleStatistics(null) {
        @Override
        public List<Instant> renewalsCompleted(Instant from, Instant to) {
            assertThat(from).isEqualTo(Instant.parse("2026-02-02T16:00:00Z"));
            assertThat(to).isEqualTo(Instant.parse("2026-03-04T16:00:00Z"));
            return List.of(
                    Instant.parse("2026-03-03T16:30:00Z"),
                    Instant.parse("2026-03-03T15:59:59Z"),
                    Instant.parse("2026-03-04T01:00:00Z"));
        }

        @Override
        public List<Instant> activePairsExpiring(Instant from, Instant to) {
            assertThat(from).isEqualTo(Instant.parse("2026-03-01T16:00:00Z"));
            return List.of(Instant.parse("2026-03-08T15:59:59Z"), Instant.parse("2026-03-08T16:00:00Z"));
        }

        @Override
        public Map<String, Long> refusalsByCode(Instant from) {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("NOT_YET_RENEWABLE", 4L);
            counts.put("SIGNATURE_INVALID", 1L);
            return counts;
        }
    };

    private final Dashboard dashboard = new Dashboard(statistics, CLOCK, TAIPEI);

    @Test
    void renewalsAreCountedOnTheTaipeiDayTheyCompleted() {
        List<Dashboard.Bar> bars = dashboard.renewalsPerDay().bars();
        assertThat(bars).hasSize(30);
        assertThat(bars.get(0).label()).isEqualTo("2026-02-03");
        assertThat(bars.get(29)).isEqualTo(new Dashboard.Bar("2026-03-04", 2, 100));
        assertThat(bars.get(28)).isEqualTo(new Dashboard.Bar("2026-03-03", 1, 50));
    }

    @Test
    void expiringPairsAreCountedInTheirMondayWeekForTwentySixWeeks() {
        List<Dashboard.Bar> bars = dashboard.expiringPerWeek().bars();
        assertThat(bars).hasSize(26);
        assertThat(bars.get(0)).isEqualTo(new Dashboard.Bar("2026-03-02", 1, 100));
        assertThat(bars.get(1)).isEqualTo(new Dashboard.Bar("2026-03-09", 1, 100));
        assertThat(bars.get(25).label()).isEqualTo("2026-08-24");
    }

    @Test
    void refusalsKeepTheirOrderAndRelativeLength() {
        assertThat(dashboard.refusalsByReason().bars())
                .containsExactly(
                        new Dashboard.Bar("NOT_YET_RENEWABLE", 4, 100), new Dashboard.Bar("SIGNATURE_INVALID", 1, 25));
    }
}
