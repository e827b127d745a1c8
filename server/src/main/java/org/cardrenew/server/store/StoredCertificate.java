package org.cardrenew.server.store;

import java.time.Instant;

/** A holder certificate this CA issued, as stored. */
public record StoredCertificate(
        CertificateId id,
        PairId pairId,
        CertificateKind kind,
        String serial,
        String subjectDn,
        Instant notBefore,
        Instant notAfter,
        KeyHash keyHash,
        Der der,
        Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
