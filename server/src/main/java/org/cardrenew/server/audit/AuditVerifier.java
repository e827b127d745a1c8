package org.cardrenew.server.audit;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.cardrenew.server.store.AuditCheckpoint;
import org.cardrenew.server.store.AuditCheckpointRepository;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.store.AuditRepository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Verifies the whole audit trail: every record's hash and link, the chain head, every signed checkpoint (trusted
 * key, its link to the checkpoint before, its time-stamp) and how far the trail runs ahead of the newest checkpoint;
 * names the first bad record (docs/AUDIT.md). Reads the records page by page: constant memory.
 */
public class AuditVerifier {

    private final AuditRepository records;
    private final AuditCheckpointRepository checkpoints;
    private final TransactionTemplate snapshot;
    private final CheckpointPolicy policy;

    public AuditVerifier(
            AuditRepository records,
            AuditCheckpointRepository checkpoints,
            PlatformTransactionManager transactions,
            Set<String> trustedFingerprints) {
        this(records, checkpoints, transactions, CheckpointPolicy.trusting(trustedFingerprints));
    }

    public AuditVerifier(
            AuditRepository records,
            AuditCheckpointRepository checkpoints,
            PlatformTransactionManager transactions,
            CheckpointPolicy policy) {
        this.records = records;
        this.checkpoints = checkpoints;
        this.policy = policy;
        this.snapshot = new TransactionTemplate(transactions);
        // One consistent view of head, records and checkpoints while other nodes keep appending.
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
    }

    /** Records read per page: memory stays constant whatever the length of the trail. */
    static final int PAGE = 1000;

    public AuditVerification verify() {
        return snapshot.execute(status -> {
            AuditRepository.Head head = checkpoints.head();
            AuditRepository.PendingSummary pending = records.pendingSummary();
            Walk walk = new Walk(checkpoints.all());
            records.forEachInOrder(PAGE, walk::accept);
            return walk.finish(head, pending, policy);
        });
    }

    /**
     * The verification itself, one record at a time in sequence order: links and hashes as they come; the signed
     * checkpoints (few: one per interval) compared with the record at their sequence number when it passes, and the
     * time of the record after each kept for the coverage check. Nothing else is kept.
     */
    private static final class Walk {
        private final Finding finding = new Finding();
        private final List<AuditCheckpoint> signed;
        private final Map<Long, List<AuditCheckpoint>> bySeq;
        /** The hash of the stored record at each checkpoint's sequence number, when there is one. */
        private final Map<AuditCheckpoint, String> storedHashAt = new IdentityHashMap<>();
        /** When the first record after each checkpoint (and record 1) occurred: the oldest a checkpoint leaves open. */
        private final Map<Long, Instant> occurredAtAfter = new HashMap<>();

        private String prev = AuditChain.GENESIS;
        private long expected = 1;
        private boolean linked = true;
        private long count;
        private long maxStored;

        Walk(List<AuditCheckpoint> signed) {
            this.signed = signed;
            this.bySeq = signed.stream().collect(Collectors.groupingBy(AuditCheckpoint::seq));
            occurredAtAfter.put(1L, null);
            signed.forEach(c -> occurredAtAfter.put(c.seq() + 1, null));
        }

        void accept(AuditRecord r) {
            count++;
            maxStored = r.seq();
            bySeq.getOrDefault(r.seq(), List.of()).forEach(c -> storedHashAt.put(c, r.hash()));
            if (!linked) {
                return;
            }
            if (occurredAtAfter.containsKey(r.seq())) {
                occurredAtAfter.put(r.seq(), r.occurredAt());
            }
            if (r.seq() != expected) {
                finding.at(expected, "record " + expected + " is missing (the next stored record is " + r.seq() + ")");
                linked = false;
            } else if (!r.hash().equals(AuditChain.hashOf(r))) {
                finding.at(r.seq(), "record " + r.seq() + " does not match its hash (altered or moved)");
                linked = false;
            } else if (!r.prevHash().equals(prev)) {
                // The record itself is intact, so what it links to was rewritten (and rehashed): the previous one.
                long rewritten = Math.max(1, r.seq() - 1);
                finding.at(
                        rewritten,
                        r.seq() == 1
                                ? "record 1 does not start from the genesis hash"
                                : "record " + rewritten + " was rewritten: record " + r.seq()
                                        + " links to another hash");
                linked = false;
            } else {
                prev = r.hash();
                expected++;
            }
        }

        AuditVerification finish(
                AuditRepository.Head head, AuditRepository.PendingSummary pending, CheckpointPolicy policy) {
            long stored = expected - 1;
            if (linked) {
                if (head.lastSeq() > stored) {
                    finding.at(
                            stored + 1,
                            "records " + (stored + 1) + " to " + head.lastSeq() + " are missing (the chain head is at "
                                    + head.lastSeq() + ")");
                } else if (head.lastSeq() < stored) {
                    finding.at(
                            head.lastSeq() + 1,
                            "record " + (head.lastSeq() + 1)
                                    + " lies beyond the chain head: it was not appended through the audit log");
                } else if (!head.lastHash().equals(prev)) {
                    finding.at(stored, "record " + stored + " does not match the chain head's hash");
                }
            }
            long signedUpTo = 0;
            long timestamped = 0;
            long previous = 0;
            for (AuditCheckpoint c : signed) {
                long before = previous;
                previous = c.seq();
                String problem = signatureProblem(c, policy);
                if (problem != null) {
                    finding.at(c.seq(), "checkpoint at record " + c.seq() + ": " + problem);
                    continue;
                }
                if (c.previousSeq() != null && c.previousSeq() != before) {
                    // Checkpoints name the one signed before them: a gap is a checkpoint someone deleted.
                    long deleted = c.previousSeq() > before ? c.previousSeq() : c.seq();
                    finding.at(
                            deleted,
                            "the checkpoint at record " + c.previousSeq() + " was deleted (the checkpoint at "
                                    + "record " + c.seq()
                                    + " was signed after it, and the one stored before is at record "
                                    + before + ")");
                }
                if (c.timestampToken() != null && policy.timeStamps() != null) {
                    String stamp = policy.timeStamps()
                            .problem(
                                    c.timestampToken(), AuditCheckpoints.timeStampImprint(c.signature()), c.signedAt());
                    if (stamp != null) {
                        finding.at(c.seq(), "checkpoint at record " + c.seq() + ": " + stamp);
                        continue;
                    }
                    timestamped++;
                }
                String storedHash = storedHashAt.get(c);
                if (storedHash == null) {
                    long missing = c.seq() > maxStored ? maxStored + 1 : c.seq();
                    finding.at(
                            missing,
                            "record " + missing + " is missing; the checkpoint signed at " + c.signedAt()
                                    + " covers records up to " + c.seq());
                } else if (!storedHash.equals(c.headHash())) {
                    finding.at(
                            c.seq(),
                            "records up to " + c.seq() + " were rewritten after the checkpoint signed at "
                                    + c.signedAt() + " (since the checkpoint before it, at record " + signedUpTo + ")");
                } else {
                    signedUpTo = Math.max(signedUpTo, c.seq());
                }
            }
            if (linked) {
                coverage(signedUpTo, pending, policy);
            }
            return finding.seq == Long.MAX_VALUE
                    ? new AuditVerification(
                            true,
                            null,
                            null,
                            count,
                            signed.size(),
                            signedUpTo,
                            policy.keysPinned(),
                            timestamped,
                            pending.count())
                    : new AuditVerification(
                            false,
                            finding.seq,
                            finding.reason,
                            count,
                            signed.size(),
                            signedUpTo,
                            policy.keysPinned(),
                            timestamped,
                            pending.count());
        }

        /**
         * Records after the newest valid checkpoint are protected by the chain and the head only, which the database's
         * owner can rewrite, and records waiting to be chained not even by those: more of them than the bound, or one
         * older than it, means checkpoints stopped or were deleted, or no chainer runs.
         */
        private void coverage(long signedUpTo, AuditRepository.PendingSummary pending, CheckpointPolicy policy) {
            long last = maxStored;
            long chainedUnsigned = Math.max(0, last - signedUpTo);
            long unsigned = chainedUnsigned + pending.count();
            if (unsigned == 0) {
                return;
            }
            if (policy.maxUnsignedRecords() > 0 && unsigned > policy.maxUnsignedRecords()) {
                finding.at(
                        signedUpTo + 1,
                        "records " + (signedUpTo + 1) + " to " + (last + pending.count()) + " (" + unsigned
                                + (pending.count() == 0 ? "" : ", of which " + pending.count() + " wait to be chained")
                                + ") are not covered by a signed checkpoint; the bound is "
                                + policy.maxUnsignedRecords()
                                + " records (checkpoints deleted, or not signed)");
                return;
            }
            if (policy.maxUnsignedAge() == null) {
                return;
            }
            Instant oldestAllowed = policy.clock().instant().minus(policy.maxUnsignedAge());
            // seq has no gaps here (the chain is linked), so record signedUpTo + 1 was read and its time kept
            long oldest = signedUpTo + 1;
            Instant occurredAt = chainedUnsigned > 0 ? occurredAtAfter.get(oldest) : null;
            if (occurredAt != null && occurredAt.isBefore(oldestAllowed)) {
                finding.at(
                        oldest,
                        "record " + oldest + " of " + occurredAt
                                + " is not covered by a signed checkpoint after " + policy.maxUnsignedAge()
                                + " (checkpoints deleted, or not signed)");
            } else if (pending.oldest() != null && pending.oldest().isBefore(oldestAllowed)) {
                finding.at(
                        last + 1,
                        pending.count() + " records wait to be chained, the oldest of " + pending.oldest()
                                + ": not covered by a signed checkpoint after " + policy.maxUnsignedAge()
                                + " (no chainer runs, or it fails: see cardrenew_audit_chaining_failures_total)");
            }
        }
    }

    private static String signatureProblem(AuditCheckpoint c, CheckpointPolicy policy) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(c.certificate()));
            String fingerprint = AuditKey.fingerprint(certificate);
            if (!fingerprint.equals(c.keyFingerprint())
                    || !policy.trustedFingerprints().contains(fingerprint)) {
                return "signed by an audit key that is not trusted (" + fingerprint + ")";
            }
            if (!AuditKey.ALGORITHM.equals(c.algorithm())) {
                return "unexpected signature algorithm " + c.algorithm();
            }
            Signature verifier = Signature.getInstance(AuditKey.ALGORITHM);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(AuditCheckpoints.signedText(c));
            return verifier.verify(c.signature()) ? null : "signature does not verify";
        } catch (GeneralSecurityException | IllegalStateException e) {
            return "signature cannot be checked: " + e.getMessage();
        }
    }

    /** The lowest sequence number found bad so far. */
    private static final class Finding {
        long seq = Long.MAX_VALUE;
        String reason;

        void at(long candidate, String why) {
            if (candidate < seq) {
                seq = candidate;
                reason = why;
            }
        }
    }
}
