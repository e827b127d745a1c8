package org.cardrenew.server.audit;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cardrenew.server.store.AuditCheckpoint;
import org.cardrenew.server.store.AuditCheckpointRepository;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.store.AuditRepository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Verifies the whole audit trail: every record's hash and link, the chain head, and every signed checkpoint; names
 * the first bad record (docs/AUDIT.md).
 */
public class AuditVerifier {

    private final AuditRepository records;
    private final AuditCheckpointRepository checkpoints;
    private final TransactionTemplate snapshot;
    private final Set<String> trustedFingerprints;

    public AuditVerifier(AuditRepository records, AuditCheckpointRepository checkpoints,
            PlatformTransactionManager transactions, Set<String> trustedFingerprints) {
        this.records = records;
        this.checkpoints = checkpoints;
        this.trustedFingerprints = Set.copyOf(trustedFingerprints);
        this.snapshot = new TransactionTemplate(transactions);
        // One consistent view of head, records and checkpoints while other nodes keep appending.
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
    }

    public AuditVerification verify() {
        return snapshot.execute(status -> verify(checkpoints.head(), records.all(), checkpoints.all(),
                trustedFingerprints));
    }

    /** The verification itself, over what was read. */
    static AuditVerification verify(AuditRepository.Head head, List<AuditRecord> chain, List<AuditCheckpoint> signed,
            Set<String> trusted) {
        Finding finding = new Finding();
        Map<Long, AuditRecord> bySeq = new HashMap<>();
        String prev = AuditChain.GENESIS;
        long expected = 1;
        boolean linked = true;
        for (AuditRecord r : chain) {
            bySeq.put(r.seq(), r);
            if (!linked) {
                continue;
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
                finding.at(rewritten, r.seq() == 1 ? "record 1 does not start from the genesis hash"
                        : "record " + rewritten + " was rewritten: record " + r.seq() + " links to another hash");
                linked = false;
            } else {
                prev = r.hash();
                expected++;
            }
        }
        long stored = expected - 1;
        if (linked) {
            if (head.lastSeq() > stored) {
                finding.at(stored + 1, "records " + (stored + 1) + " to " + head.lastSeq()
                        + " are missing (the chain head is at " + head.lastSeq() + ")");
            } else if (head.lastSeq() < stored) {
                finding.at(head.lastSeq() + 1, "record " + (head.lastSeq() + 1)
                        + " lies beyond the chain head: it was not appended through the audit log");
            } else if (!head.lastHash().equals(prev)) {
                finding.at(stored, "record " + stored + " does not match the chain head's hash");
            }
        }
        long signedUpTo = 0;
        long maxStored = chain.isEmpty() ? 0 : chain.get(chain.size() - 1).seq();
        for (AuditCheckpoint c : signed) {
            String problem = signatureProblem(c, trusted);
            if (problem != null) {
                finding.at(c.seq(), "checkpoint at record " + c.seq() + ": " + problem);
                continue;
            }
            AuditRecord r = bySeq.get(c.seq());
            if (r == null) {
                long missing = c.seq() > maxStored ? maxStored + 1 : c.seq();
                finding.at(missing, "record " + missing + " is missing; the checkpoint signed at " + c.signedAt()
                        + " covers records up to " + c.seq());
            } else if (!r.hash().equals(c.headHash())) {
                finding.at(c.seq(), "records up to " + c.seq() + " were rewritten after the checkpoint signed at "
                        + c.signedAt() + " (since the checkpoint before it, at record " + signedUpTo + ")");
            } else {
                signedUpTo = Math.max(signedUpTo, c.seq());
            }
        }
        return finding.seq == Long.MAX_VALUE
                ? AuditVerification.intact(chain.size(), signed.size(), signedUpTo)
                : new AuditVerification(false, finding.seq, finding.reason, chain.size(), signed.size(), signedUpTo);
    }

    private static String signatureProblem(AuditCheckpoint c, Set<String> trusted) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(c.certificate()));
            String fingerprint = AuditKey.fingerprint(certificate);
            if (!fingerprint.equals(c.keyFingerprint()) || !trusted.contains(fingerprint)) {
                return "signed by an audit key that is not trusted (" + fingerprint + ")";
            }
            if (!AuditKey.ALGORITHM.equals(c.algorithm())) {
                return "unexpected signature algorithm " + c.algorithm();
            }
            Signature verifier = Signature.getInstance(AuditKey.ALGORITHM);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(AuditCheckpoints.signedText(c.seq(), c.headHash(), c.signedAt()));
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
