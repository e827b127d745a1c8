package org.cardrenew.server.access;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Abuse limits on every endpoint an anonymous caller reaches ({@code cardrenew.rate-limit.*}, docs/OPERATIONS.md).
 * Counters live in each node's memory: with N nodes behind a load balancer a client may get up to N times the limit.
 *
 * @param enabled              off only for load tests
 * @param perAddress           card-facing requests (challenges, status, renewals, CMP, EST) per {@code period} from
 *                             one client address
 * @param perCertificate       status checks per {@code period} for one signing certificate
 * @param signInPerAddress     console sign-in attempts (password form, card sign-in) per {@code period} from one
 *                             address; each account also locks after repeated failures (cardrenew.console.lockout)
 * @param revocationPerAddress OCSP, CRL, renewal-information and CA-certificate requests per {@code period} from one
 *                             address (relying parties: more than a holder needs)
 * @param period               the refill period of every bucket
 * @param maxTrackedKeys       memory bound: beyond it, idle (full) buckets are forgotten first
 */
@ConfigurationProperties("cardrenew.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("600") int perAddress,
        @DefaultValue("60") int perCertificate,
        @DefaultValue("30") int signInPerAddress,
        @DefaultValue("6000") int revocationPerAddress,
        @DefaultValue("PT1M") Duration period,
        @DefaultValue("100000") int maxTrackedKeys) {}
