package org.cardrenew.server.ra;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A certificate validity period, in whole seconds (RFC 5280 §4.1.2.5 encodes no fractions). */
public record Validity(Instant notBefore, Instant notAfter) {

    /** From now (truncated to the second) for the given length. */
    public static Validity startingAt(Instant now, Duration length) {
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        return new Validity(start, start.plus(length));
    }
}
