package org.cardrenew.server.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.protocol.StatusResponse;
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

    public StatusController(StatusService status, HolderMessages messages) {
        this.status = status;
        this.messages = messages;
    }

    @PostMapping(path = ApiPaths.STATUS, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Show the status of the card's signing certificate",
            description = "The card signs the challenge nonce with its signing key. Answers exactly one status: RENEWABLE "
                    + "(with a renewal token), NOT_YET_RENEWABLE (with the date the window opens), EXPIRED, REVOKED, UNKNOWN, "
                    + "RENEWAL_IN_PROGRESS (renewalId, renewalState and a token to resume) or ALREADY_RENEWED.")
    @ApiResponse(responseCode = "200", description = "the status")
    @ApiResponse(responseCode = "400", description = "REQUEST_INVALID, CHALLENGE_UNKNOWN, CHALLENGE_EXPIRED, CHALLENGE_USED, "
            + "SIGNATURE_ALGORITHM_UNSUPPORTED, CERTIFICATE_MALFORMED")
    @ApiResponse(responseCode = "401", description = "SIGNATURE_INVALID: the signature does not match the certificate")
    public StatusResponse status(@RequestBody StatusRequest request, HttpServletRequest http) {
        StatusResponse r = status.status(request, RequestOrigin.of(http));
        return new StatusResponse(r.status(), r.subject(), r.certificateSerial(), r.notBefore(), r.notAfter(),
                r.renewalWindowOpens(), r.renewalToken(), r.renewalTokenExpiresAt(), r.renewalId(), r.renewalState(),
                messages.status(r.status(), r.renewalWindowOpens()));
    }
}
