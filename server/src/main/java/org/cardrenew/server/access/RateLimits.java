package org.cardrenew.server.access;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Token buckets per client address and per certificate; refusals counted as cardrenew_rate_limited_total{limit}. */
public class RateLimits {

    /** Which limit a key belongs to; ADDRESS is the card-facing endpoints' per-address limit. */
    public enum Limit {
        ADDRESS,
        CERTIFICATE,
        SIGN_IN,
        REVOCATION
    }

    private final RateLimitProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public RateLimits(RateLimitProperties properties, Clock clock, MeterRegistry meters) {
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    public boolean enabled() {
        return properties.enabled();
    }

    /** Takes one request from the key's bucket: {@link Duration#ZERO} when allowed, else the time to wait. */
    public Duration take(Limit limit, String key) {
        Instant now = clock.instant();
        if (buckets.size() >= properties.maxTrackedKeys()) {
            forgetIdle(now);
        }
        int capacity = switch (limit) {
            case ADDRESS -> properties.perAddress();
            case CERTIFICATE -> properties.perCertificate();
            case SIGN_IN -> properties.signInPerAddress();
            case REVOCATION -> properties.revocationPerAddress();
        };
        TokenBucket bucket =
                buckets.computeIfAbsent(limit + ":" + key, k -> new TokenBucket(capacity, properties.period(), now));
        Duration wait;
        synchronized (bucket) {
            wait = bucket.take(now);
        }
        if (!wait.isZero()) {
            meters.counter("cardrenew.rate.limited", "limit", limit.name().toLowerCase(java.util.Locale.ROOT))
                    .increment();
        }
        return wait;
    }

    int tracked() {
        return buckets.size();
    }

    private void forgetIdle(Instant now) {
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().full(now);
            }
        });
    }
}
