package org.cardrenew.server.console;

import jakarta.servlet.http.HttpServletRequest;
import org.cardrenew.server.audit.AuditChainer;
import org.cardrenew.server.audit.AuditCheckpoints;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.AuditVerification;
import org.cardrenew.server.audit.AuditVerifier;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.store.AuditCheckpoint;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Audit verification for administrators and auditors: the whole chain and every signed checkpoint; answers 200
 * with {@code ok=false} and the first bad record's seq and reason when something was altered (docs/AUDIT.md).
 */
@RestController
public class AuditVerificationController {

    private final AuditVerifier verifier;
    private final AuditCheckpoints checkpoints;
    private final AuditLog audit;
    private final AuditChainer chainer;

    public AuditVerificationController(
            AuditVerifier verifier, AuditCheckpoints checkpoints, AuditLog audit, AuditChainer chainer) {
        this.verifier = verifier;
        this.checkpoints = checkpoints;
        this.audit = audit;
        this.chainer = chainer;
    }

    @GetMapping("/api/v1/admin/audit/verification")
    public AuditVerification verification(HttpServletRequest http) {
        AuditVerification result = verifier.verify();
        audit.record(VerificationAudit.event(AuditEvent.ADMIN, result, new ClientAddress(http.getRemoteAddr())));
        return result;
    }

    /**
     * Signs the head now (before a backup, or at the end of an auditor's review), after chaining every record written
     * so far, so that the checkpoint covers all decisions made before the request; 204 when nothing new.
     */
    @PostMapping("/api/v1/admin/audit/checkpoints")
    public ResponseEntity<CheckpointSigned> signNow() {
        chainer.chainPending();
        return checkpoints
                .signHead()
                .map(c -> ResponseEntity.ok(CheckpointSigned.of(c)))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    /** The checkpoint just signed. */
    public record CheckpointSigned(long seq, String headHash, String signedAt, String keyFingerprint) {
        static CheckpointSigned of(AuditCheckpoint c) {
            return new CheckpointSigned(c.seq(), c.headHash(), c.signedAt().toString(), c.keyFingerprint());
        }
    }
}
