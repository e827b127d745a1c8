package org.cardrenew.protocol;

/**
 * Two PKCS#10 requests from keys the card has just generated.
 *
 * @param renewalToken  from a {@code RENEWABLE} (or {@code RENEWAL_IN_PROGRESS}) status answer
 * @param signingCsr    base64 DER (PEM accepted) PKCS#10 for the new signing key
 * @param encryptionCsr base64 DER (PEM accepted) PKCS#10 for the new encryption key
 */
public record RenewalRequest(String renewalToken, String signingCsr, String encryptionCsr) {}
