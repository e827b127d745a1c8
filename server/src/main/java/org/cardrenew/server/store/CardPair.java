package org.cardrenew.server.store;

import java.time.Instant;

/** The signing and encryption certificates of one card, issued together. */
public record CardPair(
        PairId id,
        HolderId holderId,
        PairStatus status,
        Instant createdAt,
        Instant supersededAt,
        Instant revokeAfter) {}
