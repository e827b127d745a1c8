package org.cardrenew.server.store;

import java.util.Optional;
import java.util.UUID;

/** Identifier of a one-time challenge. */
public record ChallengeId(UUID value) {

    public static ChallengeId random() {
        return new ChallengeId(UUID.randomUUID());
    }

    /** Empty when the text is not a UUID. */
    public static Optional<ChallengeId> parse(String text) {
        try {
            return Optional.of(new ChallengeId(UUID.fromString(text)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
