package org.cardrenew.server.ra;

import javax.security.auth.x500.X500Principal;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.store.KeyHash;
import org.springframework.stereotype.Component;

/**
 * Records what the CA is about to sign, before it signs (issue 13 item 7). The record is committed on its own
 * ({@link AuditLog#record}), or with the claim of a new renewal, before the caller opens the transaction that signs
 * and stores, and never while that transaction holds a connection: a crash after the CA signed but before the certificates were stored and their
 * outcome recorded still leaves the decision in the audit trail, naming the keys every such certificate certifies.
 */
@Component
class IssuanceIntent {

    /** Why the CA signs. */
    enum Reason {
        RENEWAL,
        ENROLLMENT
    }

    private final AuditLog audit;

    IssuanceIntent(AuditLog audit) {
        this.audit = audit;
    }

    /** The intent of a renewal: the CA is to sign for the subject of the card's current pair, asked by that card. */
    static AuditEvent forRenewal(
            String renewalId, CurrentPair old, KeyHash signingKey, KeyHash encryptionKey, ClientAddress from) {
        String serial = old.signing().serial();
        return event(
                Reason.RENEWAL,
                serial,
                serial,
                renewalId,
                old.signingCertificate().getSubjectX500Principal(),
                signingKey,
                encryptionKey,
                from);
    }

    /** The intent of an enrolment: the CA is to sign a first pair for the subject, asked by an administrator. */
    static AuditEvent forEnrollment(
            String actor, X500Principal subject, KeyHash signingKey, KeyHash encryptionKey, ClientAddress from) {
        return event(Reason.ENROLLMENT, actor, null, null, subject, signingKey, encryptionKey, from);
    }

    /** Commits the intent on its own ({@link AuditLog#record}), before the caller opens the transaction that signs. */
    void record(AuditEvent intent) {
        audit.record(intent);
    }

    /**
     * Records the intent in the caller's transaction ({@link AuditLog#recordInCurrentTransaction}): for the
     * transaction that claims the renewal, which commits before the CA is asked to sign.
     */
    void recordInCurrentTransaction(AuditEvent intent) {
        audit.recordInCurrentTransaction(intent);
    }

    private static AuditEvent event(
            Reason reason,
            String actor,
            String subjectSerial,
            String renewalId,
            X500Principal subject,
            KeyHash signingKey,
            KeyHash encryptionKey,
            ClientAddress from) {
        return AuditEvent.success(actor, AuditAction.ISSUANCE_INTENDED, from)
                .code(reason.name())
                .certificate(subjectSerial)
                .renewal(renewalId)
                .detail("CA to sign for " + subject.getName() + ": signing key sha256:" + signingKey.hex()
                        + ", encryption key sha256:" + encryptionKey.hex());
    }
}
