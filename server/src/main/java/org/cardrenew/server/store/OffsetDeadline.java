package org.cardrenew.server.store;

import java.time.Instant;

/** A reminder offset and the instant it reaches: a pair is due at this offset when notAfter is before the instant. */
public record OffsetDeadline(int offsetDays, Instant notAfterBefore) {}
