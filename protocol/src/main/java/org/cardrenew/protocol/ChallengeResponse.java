package org.cardrenew.protocol;

import java.time.Instant;

/** A one-time nonce the card signs with its current signing key. */
public record ChallengeResponse(String challengeId, String nonce, Instant expiresAt) {}
