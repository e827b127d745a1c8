package org.cardrenew.server.access;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled continuously at {@code capacity} per {@code period};
 * each request takes one. Exact integer arithmetic: one token is {@code period} in nanoseconds, and time refills
 * {@code capacity} units per nanosecond. Not thread-safe by itself: {@link RateLimits} synchronises on the bucket.
 */
final class TokenBucket {

    private final long capacity;
    private final long token;
    private final long full;
    private long level;
    private Instant last;

    TokenBucket(int capacity, Duration period, Instant now) {
        this.capacity = capacity;
        this.token = period.toNanos();
        this.full = Math.multiplyExact(token, (long) capacity);
        this.level = full;
        this.last = now;
    }

    /** Takes a token: {@link Duration#ZERO} when granted, else how long until one is available. */
    Duration take(Instant now) {
        refill(now);
        if (level >= token) {
            level -= token;
            return Duration.ZERO;
        }
        return Duration.ofNanos((token - level + capacity - 1) / capacity);
    }

    /** Full again (nothing to remember): the bucket can be forgotten. */
    boolean full(Instant now) {
        refill(now);
        return level >= full;
    }

    private void refill(Instant now) {
        // A clock stepping backwards (NTP) must not mint tokens nor drain them.
        if (now.isAfter(last)) {
            long elapsed = Duration.between(last, now).toNanos();
            level = elapsed >= token ? full : Math.min(full, level + elapsed * capacity);
            last = now;
        }
    }
}
