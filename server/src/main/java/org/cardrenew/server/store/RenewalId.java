package org.cardrenew.server.store;

import java.util.Optional;
import java.util.UUID;

/** Identifier of a renewal, a random UUID shown to the client. */
public record RenewalId(UUID value) {

    public static RenewalId random() {
        return new RenewalId(UUID.randomUUID());
    }

    /** Empty when the text is not a UUID (an id from a URL is untrusted input). */
    public static Optional<RenewalId> parse(String text) {
        try {
            return Optional.of(new RenewalId(UUID.fromString(text)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
