package org.cardrenew.protocol;

import java.time.Instant;

/**
 * The status of the card's signing certificate.
 *
 * @param status                 exactly one status
 * @param subject                C, O, CN, SERIALNUMBER of the certificate (null when {@code UNKNOWN} and unparsable)
 * @param certificateSerial      hex serial of the signing certificate
 * @param notBefore              validity start
 * @param notAfter               validity end
 * @param renewalWindowOpens     first instant at which the certificate can be renewed
 * @param renewalToken           only with {@code RENEWABLE} or {@code RENEWAL_IN_PROGRESS}: bearer token bound to this certificate
 * @param renewalTokenExpiresAt  end of the token's life
 * @param renewalId              with {@code RENEWAL_IN_PROGRESS} and {@code ALREADY_RENEWED}: the renewal; with
 *                               {@code RENEWABLE}: the card's last renewal if it was closed unconfirmed
 * @param renewalState           the state of that renewal ({@code EXPIRED_UNCONFIRMED} for a closed one: the card
 *                               renews afresh, and the message says why)
 * @param message                a sentence for the holder in the request's language
 */
public record StatusResponse(
        CertificateStatus status,
        Subject subject,
        String certificateSerial,
        Instant notBefore,
        Instant notAfter,
        Instant renewalWindowOpens,
        String renewalToken,
        Instant renewalTokenExpiresAt,
        String renewalId,
        RenewalState renewalState,
        String message) {}
