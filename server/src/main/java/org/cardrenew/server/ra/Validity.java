package org.cardrenew.server.ra;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.cardrenew.protocol.ErrorCode;

/** A certificate validity period, in whole seconds (RFC 5280 §4.1.2.5 encodes no fractions). */
public record Validity(Instant notBefore, Instant notAfter) {

    /**
     * RFC 5280 §4.1.2.5: a certificate's dates are UTCTime from 1950 through 2049 and GeneralizedTime (four-digit
     * year) from 2050: nothing before 1950 or after 9999 can be encoded.
     */
    static final Instant EARLIEST = Instant.parse("1950-01-01T00:00:00Z");

    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** From now (truncated to the second) for the given length. */
    public static Validity startingAt(Instant now, Duration length) {
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        return new Validity(start, start.plus(length));
    }

    /**
     * Explicit ends (at least one of them, as an enrollment may ask); a missing one is {@code length} from the other.
     *
     * @throws RaException VALIDITY_INVALID for an end no certificate can encode (checked before the arithmetic, which
     *     overflows near Instant.MIN and MAX: such a request was answered HTTP 500) or notAfter not after notBefore
     */
    public static Validity explicit(Instant notBefore, Instant notAfter, Duration length) {
        requireEncodable(notBefore, "notBefore");
        requireEncodable(notAfter, "notAfter");
        Validity validity = notBefore == null
                ? new Validity(notAfter.minus(length), notAfter)
                : notAfter == null ? startingAt(notBefore, length) : new Validity(notBefore, notAfter);
        requireEncodable(validity.notBefore(), "notBefore");
        requireEncodable(validity.notAfter(), "notAfter");
        if (!validity.notAfter().isAfter(validity.notBefore())) {
            throw new RaException(ErrorCode.VALIDITY_INVALID, "notAfter must be after notBefore");
        }
        return validity;
    }

    private static void requireEncodable(Instant end, String field) {
        if (end != null && (end.isBefore(EARLIEST) || end.isAfter(LATEST))) {
            throw new RaException(
                    ErrorCode.VALIDITY_INVALID, field + " must lie between " + EARLIEST + " and " + LATEST);
        }
    }
}
