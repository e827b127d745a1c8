package org.cardrenew.server.audit;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cardrenew.server.config.CardRenewProperties;
import org.cardrenew.server.store.AuditCheckpointRepository;
import org.cardrenew.server.store.AuditRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** The audit key, its periodic checkpoints and the verifier (issue 7). */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    @Bean
    public AuditKey auditKey(CardRenewProperties server, Clock clock) {
        return AuditKey.loadOrCreate(server.dataDir().resolve("audit"), clock);
    }

    @Bean
    public AuditCheckpoints auditCheckpoints(AuditCheckpointRepository repository, AuditKey key, Clock clock) {
        return new AuditCheckpoints(repository, key, clock);
    }

    /**
     * Trusted: the current audit key, plus fingerprints of earlier keys listed in
     * {@code cardrenew.audit.trusted-fingerprints} (after the key was replaced, old checkpoints still verify).
     */
    @Bean
    public AuditVerifier auditVerifier(AuditRepository records, AuditCheckpointRepository checkpoints,
            PlatformTransactionManager transactions, AuditKey key,
            @Value("${cardrenew.audit.trusted-fingerprints:}") List<String> earlierKeys) {
        Set<String> trusted = new HashSet<>();
        trusted.add(key.fingerprint());
        earlierKeys.stream().map(String::trim).filter(s -> !s.isEmpty()).map(String::toLowerCase).forEach(trusted::add);
        return new AuditVerifier(records, checkpoints, transactions, trusted);
    }
}
