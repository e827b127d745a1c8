package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
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
}
