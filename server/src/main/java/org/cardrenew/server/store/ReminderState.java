package org.cardrenew.server.store;

/** Where an expiry reminder stands in the outbox; see docs/REMINDERS.md. */
public enum ReminderState {
    /** Due; waiting for (another) delivery attempt. */
    PENDING,
    /** Accepted by the SMTP server. */
    SENT,
    /** Refused for good by the SMTP server (the address was rejected); an administrator may re-send it. */
    FAILED,
    /** Never sent: a later offset was already due (catch-up after downtime). */
    SKIPPED,
    /** Never sent: the pair was renewed, revoked or expired first. */
    CANCELLED,
    /** Never sent: the holder has no e-mail address. */
    NO_ADDRESS
}
