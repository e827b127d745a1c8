package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuPerUnitTest {

    @Test
    void aUnitsCpuIsEachPartsCoresOverThePhasesRateWithoutTheJitInTheSteadyTotal() {
        // 200 renewals/s for 30 s: the server used 0.9 cores (3 s of them in its JIT compiler), the client 0.2 and
        // PostgreSQL 0.6.
        CpuPerUnit renewal = CpuPerUnit.of(
                new ProcessCpu.Usage(0.9, 0.2, 0.9),
                0.6,
                Map.of("JIT compiler", 3.0, "request threads", 20.0),
                30.0,
                200.0);

        assertThat(renewal.serverMs()).isCloseTo(4.5, within(1e-9));
        assertThat(renewal.jitMs()).isCloseTo(0.5, within(1e-9));
        assertThat(renewal.clientMs()).isCloseTo(1.0, within(1e-9));
        assertThat(renewal.postgresMs()).isCloseTo(3.0, within(1e-9));
        assertThat(renewal.steadyMs()).isCloseTo(8.0, within(1e-9));
        assertThat(renewal.line()).isEqualTo("server 4.50 ms (of which JIT 0.50), client 1.00, PostgreSQL 3.00");
    }

    @Test
    void aPhaseWithoutJitSamplesOrWithoutUnitsStaysFinite() {
        CpuPerUnit check = CpuPerUnit.of(new ProcessCpu.Usage(0.9, 0.3, 0.9), 0.5, Map.of(), 15.0, 1000.0);
        assertThat(check.jitMs()).isZero();
        assertThat(check.steadyMs()).isCloseTo(1.7, within(1e-9));

        CpuPerUnit none = CpuPerUnit.of(new ProcessCpu.Usage(0.1, 0.0, 0.1), 0.0, Map.of(), 15.0, 0.0);
        assertThat(Double.isFinite(none.serverMs())).isTrue();
    }
}
