package org.cardrenew.server.config;

import org.cardrenew.server.ra.ChallengeKey;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The challenge key, generated at first start under {@code <data-dir>/challenge-key} and shared by the nodes. */
@Configuration(proxyBeanMethods = false)
public class ChallengeKeyConfiguration {

    @Bean
    public ChallengeKey challengeKey(CardRenewProperties server) {
        return new ChallengeKey(GeneratedSecret.readOrCreate(server.dataDir().resolve("challenge-key"))
                .value());
    }
}
