package org.cardrenew.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.cardrenew.server.access.RateLimits.Limit;
import org.cardrenew.server.testsupport.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token buckets per address and per certificate, on a fixed clock. */
class RateLimitsTest {

    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private RateLimits limits;

    @BeforeEach
    void threePerMinutePerAddressTwoPerCertificate() {
        clock.reset();
        limits = new RateLimits(new RateLimitProperties(true, 3, 2, 3, 3, Duration.ofMinutes(1), 1000), clock, meters);
    }

    @Test
    void theFourthRequestInAMinuteWaitsTwentySeconds() {
        for (int i = 0; i < 3; i++) {
            assertThat(limits.take(Limit.ADDRESS, "192.0.2.1")).isZero();
        }
        assertThat(limits.take(Limit.ADDRESS, "192.0.2.1")).isEqualTo(Duration.ofSeconds(20));
        assertThat(meters.counter("cardrenew.rate.limited", "limit", "address").count())
                .isEqualTo(1);
    }

    @Test
    void aTokenComesBackAfterOneThirdOfThePeriod() {
        for (int i = 0; i < 3; i++) {
            limits.take(Limit.ADDRESS, "192.0.2.1");
        }
        clock.advance(Duration.ofSeconds(19));
        assertThat(limits.take(Limit.ADDRESS, "192.0.2.1")).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(limits.take(Limit.ADDRESS, "192.0.2.1")).isZero();
    }

    @Test
    void addressesAndCertificatesHaveTheirOwnBuckets() {
        for (int i = 0; i < 3; i++) {
            limits.take(Limit.ADDRESS, "192.0.2.1");
        }
        assertThat(limits.take(Limit.ADDRESS, "192.0.2.2")).isZero();
        assertThat(limits.take(Limit.CERTIFICATE, "192.0.2.1")).isZero();
        assertThat(limits.take(Limit.CERTIFICATE, "192.0.2.1")).isZero();
        assertThat(limits.take(Limit.CERTIFICATE, "192.0.2.1")).isEqualTo(Duration.ofSeconds(30));
        assertThat(meters.counter("cardrenew.rate.limited", "limit", "certificate")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aClockSteppingBackNeitherMintsNorDrainsTokens() {
        for (int i = 0; i < 3; i++) {
            limits.take(Limit.ADDRESS, "192.0.2.1");
        }
        clock.set(MutableClock.START.minus(Duration.ofHours(1)));
        assertThat(limits.take(Limit.ADDRESS, "192.0.2.1")).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void idleBucketsAreForgottenWhenTheMemoryBoundIsReached() {
        limits = new RateLimits(new RateLimitProperties(true, 3, 2, 3, 3, Duration.ofMinutes(1), 2), clock, meters);
        limits.take(Limit.ADDRESS, "192.0.2.1");
        limits.take(Limit.ADDRESS, "192.0.2.2");
        clock.set(Instant.parse("2026-01-01T00:05:00Z"));
        limits.take(Limit.ADDRESS, "192.0.2.3");
        assertThat(limits.tracked()).isEqualTo(1);
    }
}
