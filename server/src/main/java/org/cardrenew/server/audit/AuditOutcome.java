package org.cardrenew.server.audit;

/** How a decision ended. ERROR is a failure on our side (CA down, bug), not a refusal. */
public enum AuditOutcome {
    SUCCESS,
    REFUSED,
    ERROR
}
