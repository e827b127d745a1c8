package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SummaryLineTest {

    @Test
    void lastLineHasTheFixedFormat() {
        assertThat(new SummaryLine(56.04, 80.0, 123.4).toString())
                .isEqualTo("renewals/s=56.0 bound/s=80.0 ratio=0.70 p99_ms=123");
    }

    @Test
    void lastLineMatchesThePatternScriptsParse() {
        assertThat(new SummaryLine(1234.56, 2000, 9.6).toString())
                .matches("renewals/s=[0-9]+\\.[0-9] bound/s=[0-9]+\\.[0-9] ratio=[0-9]+\\.[0-9]{2} p99_ms=[0-9]+");
    }

    @Test
    void noBoundGivesRatioZeroAndNoLatencyGivesZero() {
        assertThat(new SummaryLine(10, 0, Double.NaN).toString())
                .isEqualTo("renewals/s=10.0 bound/s=0.0 ratio=0.00 p99_ms=0");
    }
}
