package org.cardrenew.server.audit;

/**
 * One decision to record.
 *
 * @param actor             the certificate serial of the card, {@code admin}, or {@code anonymous}
 * @param code              the status or error code the decision answered with, if any
 * @param certificateSerial the subject certificate(s), comma-separated hex serials
 */
public record AuditEvent(
        String actor,
        AuditAction action,
        AuditOutcome outcome,
        String code,
        String certificateSerial,
        String renewalId,
        String detail,
        ClientAddress clientAddress) {

    public static final String ADMIN = "admin";
    public static final String ANONYMOUS = "anonymous";

    public AuditEvent withDetail(String newDetail) {
        return new AuditEvent(actor, action, outcome, code, certificateSerial, renewalId, newDetail, clientAddress);
    }
}
