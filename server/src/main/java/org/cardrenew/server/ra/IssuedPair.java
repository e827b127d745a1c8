package org.cardrenew.server.ra;

import java.security.cert.X509Certificate;
import org.cardrenew.server.store.PairId;

/** A card pair just issued and stored. */
public record IssuedPair(PairId id, X509Certificate signing, X509Certificate encryption) {}
