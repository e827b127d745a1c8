package org.cardrenew.server.store;

import java.time.Instant;

/** A one-time challenge as stored. */
public record StoredChallenge(
        ChallengeId id, ChallengePurpose purpose, String nonce, Instant createdAt, Instant expiresAt, Instant usedAt) {}
