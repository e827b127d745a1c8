package org.cardrenew.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A renewal and, once issued, its two new certificates.
 *
 * @param renewalId             identifier of the renewal
 * @param state                 persisted state
 * @param signingCertificate    base64 DER, null before {@code ISSUED}
 * @param encryptionCertificate base64 DER, null before {@code ISSUED}
 * @param chain                 base64 DER CA certificates, issuing CA first, root last; only when the client asks for
 *                              it ({@code ?include=chain}, {@link ApiPaths#INCLUDE_CHAIN}), otherwise absent from the
 *                              JSON and null: no client of ours reads it (issue 14)
 * @param notBefore             new validity start
 * @param notAfter              new validity end
 * @param previousNotAfter      end of the replaced certificates' validity
 */
public record RenewalResponse(
        String renewalId,
        RenewalState state,
        String signingCertificate,
        String encryptionCertificate,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> chain,
        Instant notBefore,
        Instant notAfter,
        Instant previousNotAfter) {

    /** The same answer carrying {@code chain}. */
    public RenewalResponse withChain(List<String> chain) {
        return new RenewalResponse(
                renewalId,
                state,
                signingCertificate,
                encryptionCertificate,
                List.copyOf(chain),
                notBefore,
                notAfter,
                previousNotAfter);
    }
}
