package org.cardrenew.server.store;

import java.time.Instant;

/** A holder with a current card but no e-mail address: reminders cannot reach them. */
public record UnreachableHolder(HolderId holderId, String name, String organization, Instant notAfter) {}
