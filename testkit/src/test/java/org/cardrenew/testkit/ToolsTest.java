package org.cardrenew.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolsTest {

    @Test
    void aToolThatHangsWithItsOutputOpenIsKilledAtTheTimeoutWithWhatItPrinted() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> Tools.execute(
                        List.of("sh", "-c", "echo started; sleep 30"), Map.of(), null, Duration.ofSeconds(1)))
                .hasMessageContaining("did not finish in 1 s")
                .hasMessageContaining("started");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void standardOutputAndErrorComeBackTogetherWithTheExitCode() {
        Tools.Result r = Tools.execute(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Map.of(), null);

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.output()).contains("out", "err");
    }

    @Test
    void runThrowsWithTheOutputWhenTheToolFails() {
        assertThatThrownBy(() -> Tools.run(List.of("sh", "-c", "echo nope; exit 1"), Map.of("X", "1")))
                .hasMessageContaining("exited 1")
                .hasMessageContaining("nope");
    }
}
