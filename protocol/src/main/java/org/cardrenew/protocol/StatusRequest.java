package org.cardrenew.protocol;

/**
 * Proof that the card holds the key of its signing certificate.
 *
 * @param challengeId        from {@link ChallengeResponse}
 * @param certificate        the card's current signing certificate, base64 DER
 * @param signature          base64 signature over {@link SignedPayloads#status(String)} of the nonce
 * @param signatureAlgorithm JCA name, one of {@link SignatureAlgorithms#ALLOWED}
 */
public record StatusRequest(String challengeId, String certificate, String signature, String signatureAlgorithm) {}
