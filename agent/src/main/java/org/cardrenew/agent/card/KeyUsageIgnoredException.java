package org.cardrenew.agent.card;

import java.util.List;

/**
 * The card generated a key pair but did not set the usage attributes asked for (e.g. a signing key that can
 * also decrypt). The new pair was deleted again; such a card cannot be renewed in place.
 */
public final class KeyUsageIgnoredException extends CardException {

    private final List<String> ignored;

    public KeyUsageIgnoredException(String message, List<String> ignored) {
        super(message, null);
        this.ignored = List.copyOf(ignored);
    }

    /** The attributes as asked for that the card did not honour, e.g. {@code CKA_DECRYPT false}. */
    public List<String> ignored() {
        return ignored;
    }
}
