package org.cardrenew.server.notify;

import java.time.Instant;
import java.util.List;

/** Holders with a current card and no e-mail address, for administrators to complete; earliest expiry first. */
public record UnreachableHolders(List<Entry> items, int page, int size, long total) {

    /** One holder and the expiry of their current signing certificate. */
    public record Entry(String holderId, String name, String organization, Instant notAfter) {}
}
