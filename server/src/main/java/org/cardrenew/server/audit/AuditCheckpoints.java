package org.cardrenew.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.cardrenew.server.store.AuditCheckpoint;
import org.cardrenew.server.store.AuditCheckpointRepository;
import org.cardrenew.server.store.AuditRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Scheduled;

/** Periodically signs the audit chain head with the {@link AuditKey} and keeps it as a checkpoint row. */
public class AuditCheckpoints {

    private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);

    private final AuditCheckpointRepository repository;
    private final AuditKey key;
    private final Clock clock;

    public AuditCheckpoints(AuditCheckpointRepository repository, AuditKey key, Clock clock) {
        this.repository = repository;
        this.key = key;
        this.clock = clock;
    }

    /** What the audit key signs: a domain-separated text, so the signature cannot be reused for anything else. */
    static byte[] signedText(long seq, String headHash, Instant signedAt) {
        return ("cardrenew-audit-checkpoint/1\nseq=" + seq + "\nhash=" + headHash + "\nsigned-at=" + signedAt + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Scheduled(initialDelayString = "${cardrenew.audit.checkpoint-interval:PT15M}",
            fixedDelayString = "${cardrenew.audit.checkpoint-interval:PT15M}")
    public void scheduled() {
        try {
            signHead();
        } catch (RuntimeException e) {
            log.warn("audit checkpoint not signed this time: {}", e.toString());
        }
    }

    /** Signs the current head unless it is empty or already signed; another node signing it first is fine. */
    public Optional<AuditCheckpoint> signHead() {
        AuditRepository.Head head = repository.head();
        if (head.lastSeq() == 0 || repository.exists(head.lastSeq())) {
            return Optional.empty();
        }
        // PostgreSQL stores microseconds: sign exactly what is stored
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try {
            Signature signer = Signature.getInstance(AuditKey.ALGORITHM);
            signer.initSign(key.privateKey());
            signer.update(signedText(head.lastSeq(), head.lastHash(), at));
            AuditCheckpoint checkpoint = new AuditCheckpoint(head.lastSeq(), head.lastHash(), at, AuditKey.ALGORITHM,
                    key.fingerprint(), signer.sign(), key.certificate().getEncoded());
            repository.insert(checkpoint);
            log.info("audit checkpoint signed at seq {} ({})", checkpoint.seq(), checkpoint.headHash());
            return Optional.of(checkpoint);
        } catch (DuplicateKeyException anotherNode) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the audit checkpoint: " + e.getMessage(), e);
        }
    }
}
