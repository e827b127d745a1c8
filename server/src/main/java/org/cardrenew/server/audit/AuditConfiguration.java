package org.cardrenew.server.audit;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.cardrenew.server.config.CardRenewProperties;
import org.cardrenew.server.store.AuditCheckpointRepository;
import org.cardrenew.server.store.AuditRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** The audit key, its periodic checkpoints, the optional time-stamp authority and the verifier (issues 7, 13). */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuditConfiguration.class);

    @Bean
    public AuditKey auditKey(CardRenewProperties server, Clock clock) {
        return AuditKey.loadOrCreate(server.dataDir().resolve("audit"), clock);
    }

    /**
     * Links recorded decisions into the hash chain; not started by the offline verification command
     * ({@code cardrenew.audit.verify=true}), which must not write.
     */
    @Bean
    public AuditChainer auditChainer(
            AuditRepository repository,
            PlatformTransactionManager transactions,
            Clock clock,
            MeterRegistry meters,
            @Value("${cardrenew.audit.verify:false}") boolean verifyOnly) {
        return new AuditChainer(repository, transactions, clock, meters, !verifyOnly);
    }

    @Bean
    public AuditCheckpoints auditCheckpoints(
            AuditCheckpointRepository repository, AuditKey key, Clock clock, Optional<TimeStampAuthority> timeStamps) {
        return new AuditCheckpoints(repository, key, clock, timeStamps.orElse(null));
    }

    /**
     * The RFC 3161 time-stamp authority that anchors checkpoints: {@code cardrenew.audit.tsa.certificate} (its
     * signing certificate, PEM, pinned by the operator) and {@code cardrenew.audit.tsa.url} (where to ask; without
     * it tokens already stored are still checked).
     */
    @Bean
    @ConditionalOnProperty("cardrenew.audit.tsa.certificate")
    public TimeStampAuthority timeStampAuthority(
            @Value("${cardrenew.audit.tsa.certificate}") Path certificate,
            @Value("${cardrenew.audit.tsa.url:}") String url,
            @Value("${cardrenew.audit.tsa.timeout:PT10S}") Duration timeout) {
        try (InputStream in = Files.newInputStream(certificate)) {
            X509Certificate tsa =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return new TimeStampAuthority(url.isBlank() ? null : URI.create(url), tsa, timeout);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot read the time-stamp authority's certificate " + certificate + ": " + e.getMessage(), e);
        }
    }

    /**
     * Trusted: the audit keys the operator pinned ({@code cardrenew.audit.trusted-keys}, a file of certificate
     * fingerprints, and {@code cardrenew.audit.trusted-fingerprints}), never merely the key on disk, which an insider
     * with the data directory could replace. Without either, the key on disk is trusted and every verification says
     * that keys are not pinned.
     */
    @Bean
    public AuditVerifier auditVerifier(
            AuditRepository records,
            AuditCheckpointRepository checkpoints,
            PlatformTransactionManager transactions,
            AuditKey key,
            Clock clock,
            @Value("${cardrenew.audit.trusted-keys:}") String trustedKeysFile,
            @Value("${cardrenew.audit.trusted-fingerprints:}") List<String> fingerprints,
            @Value("${cardrenew.audit.max-unsigned-records:0}") long maxUnsignedRecords,
            @Value("${cardrenew.audit.max-unsigned-age:PT1H}") Duration maxUnsignedAge,
            Optional<TimeStampAuthority> timeStamps) {
        Set<String> pinned = pinnedFingerprints(trustedKeysFile, fingerprints);
        if (pinned.isEmpty()) {
            log.warn(
                    "no audit key is pinned: checkpoints are verified against the key on disk ({}); list its "
                            + "fingerprint in cardrenew.audit.trusted-keys (docs/AUDIT.md)",
                    key.fingerprint());
        } else if (!pinned.contains(key.fingerprint())) {
            log.error(
                    "the audit key on disk ({}) is not among the pinned audit keys: the checkpoints it signs will be "
                            + "reported as untrusted",
                    key.fingerprint());
        }
        return new AuditVerifier(
                records,
                checkpoints,
                transactions,
                new CheckpointPolicy(
                        pinned.isEmpty() ? Set.of(key.fingerprint()) : pinned,
                        !pinned.isEmpty(),
                        maxUnsignedRecords,
                        maxUnsignedAge.isZero() ? null : maxUnsignedAge,
                        clock,
                        timeStamps.orElse(null)));
    }

    /** Fingerprints from the file (one per line, # comments, colons allowed) and the list, normalised. */
    static Set<String> pinnedFingerprints(String file, List<String> listed) {
        List<String> lines = new ArrayList<>(listed);
        if (file != null && !file.isBlank()) {
            try {
                lines.addAll(Files.readAllLines(Path.of(file)));
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot read the trusted audit keys " + file + ": " + e.getMessage(), e);
            }
        }
        Set<String> pinned = new HashSet<>();
        for (String line : lines) {
            String fingerprint =
                    line.replaceFirst("#.*", "").replace(":", "").trim().toLowerCase(Locale.ROOT);
            if (fingerprint.isEmpty()) {
                continue;
            }
            if (!fingerprint.matches("[0-9a-f]{64}")) {
                throw new IllegalStateException("not a SHA-256 fingerprint in the trusted audit keys: " + line);
            }
            pinned.add(fingerprint);
        }
        return pinned;
    }
}
