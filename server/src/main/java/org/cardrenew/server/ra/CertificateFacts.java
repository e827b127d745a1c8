package org.cardrenew.server.ra;

import java.time.Instant;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.store.PairStatus;

/**
 * What the store knows about a signing certificate, as input to {@link RenewalWindow}.
 *
 * @param renewalState the state of the pair's renewal, or null when none was started
 */
public record CertificateFacts(Instant notAfter, boolean revoked, PairStatus pairStatus, RenewalState renewalState) {}
