package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BenchOptionsTest {

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.of("iso/PT30S", "PT30S", Duration.ofSeconds(30)),
                Arguments.of("seconds/10s", "10s", Duration.ofSeconds(10)),
                Arguments.of("minutes/2m", "2m", Duration.ofMinutes(2)),
                Arguments.of("millis/500ms", "500ms", Duration.ofMillis(500)),
                Arguments.of("bare number is seconds/15", "15", Duration.ofSeconds(15)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void durationsAreReadInBothNotations(String name, String text, Duration expected) {
        assertThat(BenchOptions.duration(text)).isEqualTo(expected);
    }

    static Stream<Arguments> scanPairs() {
        return Stream.of(
                Arguments.of("default/one million", new String[] {}, 1_000_000L),
                Arguments.of("zero skips the scan", new String[] {"--scan-pairs", "0"}, 0L),
                Arguments.of("plain number", new String[] {"--scan-pairs", "50000"}, 50_000L),
                Arguments.of("underscores", new String[] {"--scan-pairs", "2_000_000"}, 2_000_000L),
                Arguments.of("thousands commas", new String[] {"--scan-pairs", "1,000,000"}, 1_000_000L),
                Arguments.of(
                        "beside other options",
                        new String[] {"--duration", "5s", "--scan-pairs", "10", "--threads", "2"},
                        10L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scanPairs")
    void scanPairsAreRead(String name, String[] args, long expected) {
        assertThat(BenchOptions.parse(args).scanPairs()).isEqualTo(expected);
    }

    static Stream<Arguments> badScanPairs() {
        return Stream.of(
                Arguments.of("negative", new String[] {"--scan-pairs", "-1"}, "must be 0 or more"),
                Arguments.of("not a number", new String[] {"--scan-pairs", "1M"}, "must be a whole number: 1M"),
                Arguments.of("missing value", new String[] {"--scan-pairs"}, "Missing required parameter"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badScanPairs")
    void badScanPairsAreRefusedWithTheReason(String name, String[] args, String message) {
        assertThatThrownBy(() -> BenchOptions.parse(args))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--scan-pairs")
                .hasMessageContaining(message);
    }

    @Test
    void theUsageListsThePublicOptionsAndHidesTheLaunchersOwn() {
        assertThat(BenchOptions.USAGE)
                .contains("--scan-pairs", "--duration", "--card-keys", "--java PATH", "default 30s")
                .doesNotContain("--pg-url", "--work-dir");
    }

    @Test
    void defaultsAreTheStandardRun() {
        BenchOptions o = BenchOptions.parse(new String[] {});

        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.caKey()).isEqualTo(org.cardrenew.ca.CaKeyType.RSA_2048);
        assertThat(o.holderKey()).isEqualTo(HolderKeyType.P256);
        assertThat(o.threads()).isEqualTo(4);
        assertThat(o.serverJvmOptions()).containsExactly("-Xmx512m");
        assertThat(o.cardKeys())
                .containsExactly(org.cardrenew.agent.card.KeySpec.RSA_2048, org.cardrenew.agent.card.KeySpec.EC_P256);
        assertThat(o.cardRounds()).isEqualTo(3);
        assertThat(o.warmup()).isNull();
    }

    @Test
    void helpAndUnknownOptionsAreRefusedForTheUsageToBeShown() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--help"})).hasMessage("");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--threads", "0"}))
                .hasMessageContaining("must be at least 1");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--nope"})).hasMessageContaining("--nope");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--card-keys", "p256,dsa"}))
                .hasMessageContaining("dsa");
    }

    @Test
    void cardKeysAreAList() {
        assertThat(BenchOptions.parse(new String[] {"--card-keys", "p256"}).cardKeys())
                .containsExactly(org.cardrenew.agent.card.KeySpec.EC_P256);
    }
}
