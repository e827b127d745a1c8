package org.cardrenew.protocol;

import java.time.Instant;

/**
 * Admin enrollment of a new card (the "apply for a new card" path).
 *
 * @param holderId      the holder's identity number, written as SERIALNUMBER
 * @param name          CN
 * @param organization  O (the agency)
 * @param email         where expiry reminders go; may be null
 * @param language      {@code zh-TW} or {@code en}
 * @param signingCsr    base64 DER (PEM accepted) PKCS#10 for the signing key
 * @param encryptionCsr base64 DER (PEM accepted) PKCS#10 for the encryption key
 * @param notBefore     explicit validity start, only where the server allows it; else null
 * @param notAfter      explicit validity end, only where the server allows it; else null
 */
public record EnrollmentRequest(
        String holderId,
        String name,
        String organization,
        String email,
        String language,
        String signingCsr,
        String encryptionCsr,
        Instant notBefore,
        Instant notAfter) {}
