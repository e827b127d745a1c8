package org.cardrenew.server.store;

/** A holder's identity number, written into certificates as SERIALNUMBER. */
public record HolderId(String value) {

    public HolderId {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("holder id is empty");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
