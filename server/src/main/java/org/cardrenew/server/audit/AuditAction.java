package org.cardrenew.server.audit;

/** What was decided. */
public enum AuditAction {
    /** No longer written (challenges are counted, not audited); kept so that older records still read. */
    CHALLENGE_ISSUED,
    STATUS_SHOWN,
    STATUS_REFUSED,
    RENEWAL_ISSUED,
    RENEWAL_RESUMED,
    RENEWAL_REFUSED,
    RENEWAL_FETCHED,
    RENEWAL_CONFIRMED,
    CONFIRMATION_REFUSED,
    ENROLLED,
    ENROLLMENT_REFUSED,
    ADMIN_REFUSED,
    /** A superseded pair revoked after its grace period (cardrenew.renewal.revoke-old-after). */
    PAIR_REVOKED,
    /** An issued renewal not confirmed within cardrenew.renewal.confirm-within closed, its new pair revoked (issue 12). */
    RENEWAL_CLOSED_UNCONFIRMED,
    /** A request that could not be read at all (malformed JSON, wrong types). */
    REQUEST_REFUSED,
    /** A request that failed on our side (a bug, the database or CA gone): answered INTERNAL_ERROR. */
    REQUEST_FAILED,
    /** A certificate revoked by an administrator (admin API; issue 5). */
    CERTIFICATE_REVOKED,
    /** A revocation request refused (unknown certificate, already revoked, bad reason). */
    REVOCATION_REFUSED,
    /** One half of a pair renewal kept until the other half arrives (EST, single-request CMP). */
    RENEWAL_PENDING,
    /** An administrator queued an expiry reminder again (issue 4, admin API). */
    REMINDER_RESENT,
    /** An administrator ran the expiry-reminder scan on request instead of waiting for the schedule (admin API). */
    REMINDER_SCAN_RUN,
    /** A console user signed in with password and TOTP (issue 7). */
    CONSOLE_SIGNED_IN,
    /** A console sign-in refused: wrong name, password or code, or a code used again. */
    CONSOLE_SIGN_IN_REFUSED,
    /** An administrator created a console user with a role (role assignment). */
    CONSOLE_USER_CREATED,
    /** An RA officer asked in the console to revoke a certificate (the revocation itself follows as its own record). */
    CONSOLE_REVOCATION_REQUESTED,
    /** An RA officer asked in the console to send an expiry reminder again (REMINDER_RESENT follows). */
    CONSOLE_RESEND_REQUESTED,
    /** A console account reached the limit of failed sign-ins in a row and is locked for a while (issue 13). */
    CONSOLE_ACCOUNT_LOCKED,
    /** An administrator ended a console account's lock before it expired. */
    CONSOLE_USER_UNLOCKED,
    /**
     * The RA's decision to have the CA sign a card pair, recorded (and committed) before the CA signs: code RENEWAL or
     * ENROLLMENT, the renewal, the subject and both public keys' SHA-256. The outcome follows as RENEWAL_ISSUED /
     * RENEWAL_RESUMED / ENROLLED with the new serials, or as a refusal or error; an intent without an outcome is an
     * issuance interrupted between the decision and the commit (docs/AUDIT.md).
     */
    ISSUANCE_INTENDED,
    /** Someone verified the audit trail (the endpoint, the console page or the command); detail says the result. */
    AUDIT_VERIFIED
}
