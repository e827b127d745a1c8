package org.cardrenew.agent.bridge;

/** Where a renewal session of the bridge stands, as the page polls it. */
public enum SessionState {
    /** Card and RA steps are running (login, read, challenge, status; later keys, CA, write). */
    RUNNING,
    /** The status is known and the card can be renewed (or an interrupted renewal finished): waiting for the holder's go. */
    DECIDE,
    /** The certificates are issued: waiting for the holder's second PIN before anything is written to the card. */
    CONFIRM_PIN,
    /** Renewed (or an interrupted renewal completed). Final. */
    RENEWED,
    /** The RA's status allows no renewal (not yet, expired, revoked, unknown, already renewed). Final. */
    NOT_RENEWABLE,
    /** Something failed; the error says what. Final. */
    FAILED,
    /** The holder (or a time-out) cancelled before the card was changed. Final. */
    CANCELLED;

    boolean isFinal() {
        return this == RENEWED || this == NOT_RENEWABLE || this == FAILED || this == CANCELLED;
    }
}
