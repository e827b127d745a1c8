package org.cardrenew.server.store;

import java.time.Instant;

/**
 * A one-time challenge as stored once used.
 *
 * @param token the renewal token stored with this use, or null (a use that hands out none)
 */
public record StoredChallenge(
        ChallengeId id,
        ChallengePurpose purpose,
        String nonce,
        Instant createdAt,
        Instant expiresAt,
        Instant usedAt,
        RenewalTokenHash token) {

    /**
     * A renewal token as stored: its SHA-256 (never the token), the serial of the signing certificate it renews, and
     * its expiry.
     */
    public record RenewalTokenHash(String sha256, String certificateSerial, Instant expiresAt) {}
}
