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
    private final TimeStampAuthority timeStamps;

    public AuditCheckpoints(AuditCheckpointRepository repository, AuditKey key, Clock clock) {
        this(repository, key, clock, null);
    }

    /** @param timeStamps the TSA that anchors each checkpoint (docs/AUDIT.md); null for none */
    public AuditCheckpoints(
            AuditCheckpointRepository repository, AuditKey key, Clock clock, TimeStampAuthority timeStamps) {
        this.repository = repository;
        this.key = key;
        this.clock = clock;
        this.timeStamps = timeStamps != null && timeStamps.canStamp() ? timeStamps : null;
    }

    /**
     * What the audit key signs: a domain-separated text, so the signature cannot be reused for anything else.
     * Version 2 also names the checkpoint before it, so deleting a checkpoint breaks the next one's link.
     */
    static byte[] signedText(AuditCheckpoint c) {
        String text = c.previousSeq() == null
                ? "cardrenew-audit-checkpoint/1\nseq=" + c.seq() + "\nhash=" + c.headHash() + "\nsigned-at="
                        + c.signedAt() + "\n"
                : "cardrenew-audit-checkpoint/2\nseq=" + c.seq() + "\nhash=" + c.headHash() + "\nsigned-at="
                        + c.signedAt() + "\nprevious=" + c.previousSeq() + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What a time-stamp token covers: SHA-256 of the checkpoint's signature. */
    static byte[] timeStampImprint(byte[] signature) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Scheduled(
            initialDelayString = "${cardrenew.audit.checkpoint-interval:PT15M}",
            fixedDelayString = "${cardrenew.audit.checkpoint-interval:PT15M}")
    public void scheduled() {
        try {
            signHead();
        } catch (RuntimeException e) {
            log.warn("audit checkpoint not signed this time: {}", e.toString());
        }
    }

    /**
     * Signs the current head unless it is empty or already signed, as the next link of the checkpoint chain; another
     * node signing first is fine (the unique previous_seq lets one of them extend the chain).
     */
    public Optional<AuditCheckpoint> signHead() {
        // The latest checkpoint first, then the head: the head read later is never behind it.
        long previous = repository.latest().map(AuditCheckpoint::seq).orElse(0L);
        AuditRepository.Head head = repository.head();
        if (head.lastSeq() <= previous) {
            return Optional.empty();
        }
        // PostgreSQL stores microseconds: sign exactly what is stored
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try {
            AuditCheckpoint unsigned = new AuditCheckpoint(
                    head.lastSeq(),
                    head.lastHash(),
                    at,
                    AuditKey.ALGORITHM,
                    key.fingerprint(),
                    null,
                    key.certificate().getEncoded(),
                    previous,
                    null);
            Signature signer = Signature.getInstance(AuditKey.ALGORITHM);
            signer.initSign(key.privateKey());
            signer.update(signedText(unsigned));
            byte[] signature = signer.sign();
            AuditCheckpoint checkpoint = new AuditCheckpoint(
                    unsigned.seq(),
                    unsigned.headHash(),
                    at,
                    unsigned.algorithm(),
                    unsigned.keyFingerprint(),
                    signature,
                    unsigned.certificate(),
                    previous,
                    timeStamp(signature));
            repository.insert(checkpoint);
            log.info(
                    "audit checkpoint signed at seq {} ({}){}",
                    checkpoint.seq(),
                    checkpoint.headHash(),
                    checkpoint.timestampToken() == null ? "" : ", time-stamped");
            return Optional.of(checkpoint);
        } catch (DuplicateKeyException anotherNode) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the audit checkpoint: " + e.getMessage(), e);
        }
    }

    /** A TSA that is down must not stop signing: the checkpoint is kept without a token (the verifier counts them). */
    private byte[] timeStamp(byte[] signature) {
        if (timeStamps == null) {
            return null;
        }
        try {
            return timeStamps.stamp(timeStampImprint(signature));
        } catch (java.io.IOException e) {
            log.warn("audit checkpoint not time-stamped: {}", e.getMessage());
            return null;
        }
    }
}
