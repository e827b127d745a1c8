package org.cardrenew.server.ra;

import java.util.List;
import org.cardrenew.ca.IssuedCertificate;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.StoredCertificate;

/**
 * A card pair just issued and stored.
 *
 * @param stored both certificates as stored (signing first), so callers need not read them back
 */
public record IssuedPair(
        PairId id, IssuedCertificate signing, IssuedCertificate encryption, List<StoredCertificate> stored) {}
