package org.cardrenew.server.console;

import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditVerification;
import org.cardrenew.server.audit.ClientAddress;

/** The audit record of a verification: who looked, and what they were told. */
final class VerificationAudit {

    private VerificationAudit() {}

    static AuditEvent event(String actor, AuditVerification result, ClientAddress from) {
        String detail = result.ok()
                ? "intact: " + result.records() + " records, signed up to " + result.signedUpTo()
                : "first bad record " + result.firstBadSeq() + ": " + result.reason();
        return AuditEvent.success(actor, AuditAction.AUDIT_VERIFIED, from)
                .code(result.ok() ? "INTACT" : "TAMPERED")
                .detail(detail);
    }
}
