package org.cardrenew.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A renewal and, once issued, its two new certificates.
 *
 * @param renewalId             identifier of the renewal
 * @param state                 persisted state
 * @param signingCertificate    base64 DER, null before {@code ISSUED}
 * @param encryptionCertificate base64 DER, null before {@code ISSUED}
 * @param chain                 base64 DER CA certificates, issuing CA first, root last
 * @param notBefore             new validity start
 * @param notAfter              new validity end
 * @param previousNotAfter      end of the replaced certificates' validity
 */
public record RenewalResponse(
        String renewalId,
        RenewalState state,
        String signingCertificate,
        String encryptionCertificate,
        List<String> chain,
        Instant notBefore,
        Instant notAfter,
        Instant previousNotAfter) {}
