package org.cardrenew.server.store;

/** Database identity of one reminder in the outbox. */
public record ReminderId(long value) {

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
