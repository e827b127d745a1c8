package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesUseTheNearestRank() {
        Latencies l = new Latencies();
        for (int ms = 100; ms >= 1; ms--) {
            l.record(ms * 1_000_000L);
        }
        assertThat(l.percentileMillis(50)).isEqualTo(50.0);
        assertThat(l.percentileMillis(95)).isEqualTo(95.0);
        assertThat(l.percentileMillis(99)).isEqualTo(99.0);
        assertThat(l.percentileMillis(100)).isEqualTo(100.0);
        assertThat(l.maxMillis()).isEqualTo(100.0);
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        Latencies l = new Latencies();
        l.record(7_500_000L);
        assertThat(l.percentileMillis(1)).isEqualTo(7.5);
        assertThat(l.percentileMillis(99)).isEqualTo(7.5);
    }

    @Test
    void mergedWorkersCountEverySample() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        for (int i = 0; i < 3000; i++) {
            a.record(1_000_000L);
            b.record(3_000_000L);
        }
        Latencies all = new Latencies();
        all.addAll(a);
        all.addAll(b);
        assertThat(all.count()).isEqualTo(6000);
        assertThat(all.meanMillis()).isEqualTo(2.0);
        assertThat(all.percentileMillis(50)).isEqualTo(1.0);
        assertThat(all.percentileMillis(51)).isEqualTo(3.0);
    }

    @Test
    void noSamplesIsNotANumber() {
        assertThat(new Latencies().percentileMillis(99)).isNaN();
    }

    @Test
    void aPercentileOutsideTheRangeIsRefused() {
        Latencies l = new Latencies();
        l.record(1);
        assertThatThrownBy(() -> l.percentileMillis(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
