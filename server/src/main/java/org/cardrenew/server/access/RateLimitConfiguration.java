package org.cardrenew.server.access;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.cardrenew.server.web.HolderMessages;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.LocaleResolver;

/** Abuse limits (issues 7 and 13, docs/OPERATIONS.md): rate limits and body sizes, ahead of every other filter. */
@Configuration(proxyBeanMethods = false)
public class RateLimitConfiguration {

    @Bean
    public TrustedProxies trustedProxies(@Value("${cardrenew.security.trusted-proxies:}") List<String> cidrs) {
        return new TrustedProxies(cidrs);
    }

    /**
     * The buckets run on the system clock, not the server's {@link Clock} bean: a clock set into the future (demo,
     * tests) must not freeze or flood the limits; the limiter's own tests use a fixed clock.
     */
    @Bean
    public RateLimits rateLimits(RateLimitProperties properties, MeterRegistry meters) {
        return new RateLimits(properties, Clock.systemUTC(), meters);
    }

    @Bean
    public CertificateLimit certificateLimit(RateLimits limits) {
        return new CertificateLimit(limits);
    }

    @Bean
    public FilterRegistrationBean<RateLimitFilter> rateLimitFilter(
            RateLimitProperties properties,
            RateLimits limits,
            TrustedProxies proxies,
            HolderMessages messages,
            LocaleResolver locales) {
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(limits, proxies, messages, locales));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.setEnabled(properties.enabled());
        return registration;
    }

    /** Right after the rate limits, ahead of anything that reads a body (issue 13). Always on. */
    @Bean
    public FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(
            BodyLimitProperties limits, HolderMessages messages, LocaleResolver locales) {
        FilterRegistrationBean<BodyLimitFilter> registration =
                new FilterRegistrationBean<>(new BodyLimitFilter(limits, messages, locales));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
