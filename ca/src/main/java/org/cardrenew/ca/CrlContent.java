package org.cardrenew.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one CRL says. The CA keeps no database: the caller (the server's store) owns the CRL number and the list.
 *
 * @param number     RFC 5280 §5.2.3 cRLNumber: monotonically increasing for this CA, at most 20 octets
 * @param thisUpdate RFC 5280 §5.1.2.4
 * @param nextUpdate RFC 5280 §5.1.2.5: the latest time the next CRL will be issued (conforming CAs MUST include it)
 * @param revoked    the revoked, not yet expired certificates of this CA
 */
public record CrlContent(BigInteger number, Instant thisUpdate, Instant nextUpdate, List<RevokedCertificate> revoked) {

    public CrlContent {
        Objects.requireNonNull(number, "CRL number");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
        if (number.signum() < 0 || number.bitLength() > 159) {
            throw new IllegalArgumentException(
                    "RFC 5280 §5.2.3: a CRL number is a non-negative integer of at most 20 octets");
        }
        if (!nextUpdate.isAfter(thisUpdate)) {
            throw new IllegalArgumentException("nextUpdate " + nextUpdate + " is not after thisUpdate " + thisUpdate);
        }
        revoked = List.copyOf(revoked == null ? List.of() : revoked);
    }
}
