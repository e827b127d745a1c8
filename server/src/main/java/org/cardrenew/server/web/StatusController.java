package org.cardrenew.server.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;
import org.cardrenew.server.access.CertificateLimit;
import org.cardrenew.server.ra.StatusService;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The status of the card's signing certificate. */
@RestController
@Tag(name = "renewal")
public class StatusController {

    private final StatusService status;
    private final HolderMessages messages;
    private final CertificateLimit certificateLimit;

    public StatusController(StatusService status, HolderMessages messages, CertificateLimit certificateLimit) {
        this.status = status;
        this.messages = messages;
        this.certificateLimit = certificateLimit;
    }

    @PostMapping(
            path = ApiPaths.STATUS,
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Show the status of the card's signing certificate",
            description =
                    "The card signs the challenge nonce with its signing key. Answers exactly one status: RENEWABLE "
                            + "(with a renewal token), NOT_YET_RENEWABLE (with the date the window opens), EXPIRED, REVOKED, UNKNOWN, "
                            + "RENEWAL_IN_PROGRESS (renewalId, renewalState and a token to resume) or ALREADY_RENEWED. A RENEWABLE "
                            + "card whose last renewal was closed unconfirmed gets that renewal's renewalId with "
                            + "renewalState EXPIRED_UNCONFIRMED, and the message says why it renews again.")
    @ApiResponse(responseCode = "200", description = "the status")
    @ApiResponse(
            responseCode = "400",
            description = "REQUEST_INVALID, CHALLENGE_UNKNOWN, CHALLENGE_EXPIRED, CHALLENGE_USED, "
                    + "SIGNATURE_ALGORITHM_UNSUPPORTED, CERTIFICATE_MALFORMED")
    @ApiResponse(responseCode = "401", description = "SIGNATURE_INVALID: the signature does not match the certificate")
    @ApiResponse(
            responseCode = "413",
            description = "REQUEST_TOO_LARGE: a body over the limit "
                    + "(cardrenew.body-limit.*; by default JSON 64 KB, EST and OCSP 16 KB, CMP 64 KB)")
    @ApiResponse(
            responseCode = "429",
            description = "RATE_LIMITED: too many checks from this address or of this "
                    + "certificate; Retry-After says when to try again")
    public StatusResponse status(@RequestBody StatusRequest request, HttpServletRequest http) {
        certificateLimit.take(request == null ? null : request.certificate());
        StatusResponse r = status.status(request, RequestOrigin.of(http));
        return new StatusResponse(
                r.status(),
                r.subject(),
                r.certificateSerial(),
                r.notBefore(),
                r.notAfter(),
                r.renewalWindowOpens(),
                r.renewalToken(),
                r.renewalTokenExpiresAt(),
                r.renewalId(),
                r.renewalState(),
                message(r));
    }

    private String message(StatusResponse r) {
        String sentence = messages.status(r.status(), r.renewalWindowOpens());
        // Issue 12: a renewable card whose last renewal was closed unconfirmed hears why it renews again.
        return r.renewalState() == RenewalState.EXPIRED_UNCONFIRMED
                ? sentence + " " + messages.error(ErrorCode.RENEWAL_EXPIRED)
                : sentence;
    }
}
