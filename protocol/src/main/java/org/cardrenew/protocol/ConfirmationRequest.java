package org.cardrenew.protocol;

/**
 * Proof that the new certificates are on the card: a signature by the NEW signing key over
 * {@link SignedPayloads#confirmation(String)} of the renewal id.
 */
public record ConfirmationRequest(String signature, String signatureAlgorithm) {}
