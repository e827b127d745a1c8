package org.cardrenew.server.ra;

import java.security.cert.X509Certificate;
import java.util.List;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.StoredCertificate;

/**
 * A card pair just issued and stored.
 *
 * @param stored both certificates as stored (signing first), so callers need not read them back
 */
public record IssuedPair(
        PairId id, X509Certificate signing, X509Certificate encryption, List<StoredCertificate> stored) {}
