package org.cardrenew.ca;

import java.time.Instant;
import java.util.Objects;

/** What the store knows about one serial number of this CA, as OCSP reports it (RFC 6960 §2.2). */
public sealed interface RevocationStatus
        permits RevocationStatus.Good, RevocationStatus.Revoked, RevocationStatus.Unknown {

    /** Issued by this CA and not revoked. */
    record Good() implements RevocationStatus {}

    /** Revoked at that time for that reason. */
    record Revoked(Instant revokedAt, RevocationReason reason) implements RevocationStatus {
        public Revoked {
            Objects.requireNonNull(revokedAt, "revocation time");
            reason = reason == null ? RevocationReason.UNSPECIFIED : reason;
        }
    }

    /** Never issued by this CA (as far as the store knows). */
    record Unknown() implements RevocationStatus {}

    static RevocationStatus good() {
        return new Good();
    }

    static RevocationStatus unknown() {
        return new Unknown();
    }

    static RevocationStatus revoked(Instant at, RevocationReason reason) {
        return new Revoked(at, reason);
    }
}
