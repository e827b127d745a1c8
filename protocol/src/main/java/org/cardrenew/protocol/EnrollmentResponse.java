package org.cardrenew.protocol;

import java.time.Instant;
import java.util.List;

/** The certificate pair issued for a new card, with the CA chain (issuing CA first). */
public record EnrollmentResponse(
        String holderId,
        String signingCertificate,
        String encryptionCertificate,
        List<String> chain,
        Instant notBefore,
        Instant notAfter) {}
