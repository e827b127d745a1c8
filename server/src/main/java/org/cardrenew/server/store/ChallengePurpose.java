package org.cardrenew.server.store;

/**
 * What a one-time challenge may authenticate. A challenge is consumed only for its own purpose, and the card signs a
 * payload that names the purpose (SignedPayloads), so a proof made for one purpose never counts for another.
 */
public enum ChallengePurpose {
    /** The holder's status check (POST /api/v1/status): may earn a renewal token. */
    STATUS,
    /** An officer's smart-card sign-in to the console. */
    CONSOLE_SIGN_IN
}
