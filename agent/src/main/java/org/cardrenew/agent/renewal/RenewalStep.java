package org.cardrenew.agent.renewal;

/** The steps of a renewal or enrollment as the holder sees them; each is reported started and finished. */
public enum RenewalStep {
    LOGIN,
    READ_CARD,
    CHALLENGE,
    STATUS,
    GENERATE_KEYS,
    CREATE_CSRS,
    SEND_TO_CA,
    WRITE_TO_CARD,
    VERIFY,
    CONFIRM,
    DELETE_OLD,
    DONE
}
