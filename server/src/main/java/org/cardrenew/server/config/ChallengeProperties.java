package org.cardrenew.server.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param ttl how long a challenge can be answered */
@ConfigurationProperties("cardrenew.challenge")
public record ChallengeProperties(@DefaultValue("PT5M") Duration ttl) {}
