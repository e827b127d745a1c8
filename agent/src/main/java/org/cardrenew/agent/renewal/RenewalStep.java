package org.cardrenew.agent.renewal;

/**
 * The steps of a renewal or enrollment as the holder sees them; each is reported started and finished. Every flow
 * reaches the server first (CONNECT or CHALLENGE): a server that cannot be reached or trusted stops it before the
 * PIN is asked for or anything on the card is touched.
 */
public enum RenewalStep {
    /** Enrollment: reach the server (its CA certificates) before keys are generated. */
    CONNECT(false),
    CHALLENGE(false),
    LOGIN(false),
    READ_CARD(false),
    STATUS(false),
    GENERATE_KEYS(true),
    CREATE_CSRS(true),
    SEND_TO_CA(true),
    WRITE_TO_CARD(true),
    VERIFY(true),
    CONFIRM(true),
    DELETE_OLD(true),
    DONE(false);

    private final boolean changesCardOrIssues;

    RenewalStep(boolean changesCardOrIssues) {
        this.changesCardOrIssues = changesCardOrIssues;
    }

    /**
     * True for a step that changes the card, has the CA issue or tells the RA: the bridge runs it only after the
     * holder's "renew", so viewing the status changes nothing. (VERIFY writes nothing, but it only follows a write.)
     */
    public boolean changesCardOrIssues() {
        return changesCardOrIssues;
    }
}
