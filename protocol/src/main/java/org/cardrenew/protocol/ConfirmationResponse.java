package org.cardrenew.protocol;

import java.time.Instant;

/**
 * A confirmed renewal, without the certificates: the card already holds them (the renewal answer carried them one
 * call earlier). They stay available from {@link ApiPaths#RENEWAL} (with the renewal token) and the chain from
 * {@link ApiPaths#CA_CERTIFICATES}. The field names are those of {@link RenewalResponse}, so a client that reads
 * this answer as a {@link RenewalResponse} (the agent before this answer was made lean) still finds its state and
 * dates.
 *
 * @param renewalId        identifier of the renewal
 * @param state            persisted state: {@code COMPLETED}
 * @param signingSerial    hex serial of the new signing certificate
 * @param encryptionSerial hex serial of the new encryption certificate
 * @param notBefore        new validity start
 * @param notAfter         new validity end
 * @param previousNotAfter end of the replaced certificates' validity
 */
public record ConfirmationResponse(
        String renewalId,
        RenewalState state,
        String signingSerial,
        String encryptionSerial,
        Instant notBefore,
        Instant notAfter,
        Instant previousNotAfter) {}
