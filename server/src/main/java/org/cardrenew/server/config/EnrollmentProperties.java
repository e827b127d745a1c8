package org.cardrenew.server.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Admin enrollment of new cards.
 *
 * @param allowExplicitValidity whether an enrollment may set notBefore/notAfter (the demo does, to make near-expiry cards)
 * @param validity              validity of newly enrolled certificates when not explicit (default 730 days, two years)
 */
@ConfigurationProperties("cardrenew.enrollment")
public record EnrollmentProperties(
        @DefaultValue("false") boolean allowExplicitValidity,
        @DefaultValue("P730D") Duration validity) {}
