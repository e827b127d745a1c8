package org.cardrenew.server.access;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Abuse limits on POST /api/v1/challenges and /api/v1/status ({@code cardrenew.rate-limit.*}, docs/OPERATIONS.md).
 * Counters live in each node's memory: with N nodes behind a load balancer a client may get up to N times the limit.
 *
 * @param enabled              off only for load tests
 * @param perAddress           requests per {@code period} from one client address (challenges and status together)
 * @param perCertificate       status checks per {@code period} for one signing certificate
 * @param period               the refill period of both buckets
 * @param maxTrackedKeys       memory bound: beyond it, idle (full) buckets are forgotten first
 */
@ConfigurationProperties("cardrenew.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("600") int perAddress,
        @DefaultValue("60") int perCertificate,
        @DefaultValue("PT1M") Duration period,
        @DefaultValue("100000") int maxTrackedKeys) {}
