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

/** Abuse limits on the card-facing endpoints, ahead of every other filter (issue 7, docs/OPERATIONS.md). */
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
    public FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimitProperties properties,
            TrustedProxies proxies, MeterRegistry meters, HolderMessages messages, LocaleResolver locales) {
        RateLimits limits = new RateLimits(properties, Clock.systemUTC(), meters);
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(limits, proxies, messages, locales));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.setEnabled(properties.enabled());
        return registration;
    }
}
