package org.cardrenew.server.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.protocol.ConfirmationRequest;
import org.cardrenew.protocol.ConfirmationResponse;
import org.cardrenew.protocol.RenewalRequest;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.server.ra.ConfirmationService;
import org.cardrenew.server.ra.RenewalQuery;
import org.cardrenew.server.ra.RenewalService;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Renewal, resume and confirmation. */
@RestController
@Tag(name = "renewal")
public class RenewalController {

    private final RenewalService renewals;
    private final RenewalQuery query;
    private final ConfirmationService confirmations;

    public RenewalController(RenewalService renewals, RenewalQuery query, ConfirmationService confirmations) {
        this.renewals = renewals;
        this.query = query;
        this.confirmations = confirmations;
    }

    @PostMapping(
            path = ApiPaths.RENEWALS,
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Renew both certificates of the card",
            description =
                    "Two PKCS#10 requests (signing, encryption) from keys the card just generated, with the current "
                            + "subject. Idempotent by public keys: the same two keys again return the same renewal and certificates.")
    @ApiResponse(
            responseCode = "200",
            description = "the renewal, ISSUED (or later) with both certificates and the chain")
    @ApiResponse(
            responseCode = "400",
            description = "REQUEST_INVALID, CSR_MALFORMED, CSR_SIGNATURE_INVALID, CSR_SUBJECT_MISMATCH, "
                    + "KEY_TYPE_UNSUPPORTED, KEY_NOT_NEW, KEYS_IDENTICAL, VALIDITY_INVALID")
    @ApiResponse(responseCode = "401", description = "RENEWAL_TOKEN_INVALID")
    @ApiResponse(responseCode = "403", description = "CERTIFICATE_EXPIRED, CERTIFICATE_REVOKED, NOT_YET_RENEWABLE")
    @ApiResponse(
            responseCode = "409",
            description = "RENEWAL_IN_PROGRESS (another renewal with other keys), ALREADY_RENEWED")
    @ApiResponse(responseCode = "503", description = "CA_UNAVAILABLE")
    public RenewalResponse renew(@RequestBody RenewalRequest request, HttpServletRequest http) {
        return renewals.renew(request, RequestOrigin.of(http));
    }

    @GetMapping(path = ApiPaths.RENEWAL, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Fetch a renewal again (resume)",
            description =
                    "Authorised by a renewal token (Authorization: Bearer) bound to the renewed certificate. Returns the "
                            + "already issued certificates; a renewal interrupted before issuance is issued now.")
    @ApiResponse(responseCode = "200", description = "the renewal")
    @ApiResponse(responseCode = "400", description = "REQUEST_INVALID: the id is not a renewal id")
    @ApiResponse(responseCode = "401", description = "RENEWAL_TOKEN_INVALID")
    @ApiResponse(responseCode = "404", description = "RENEWAL_NOT_FOUND")
    public RenewalResponse renewal(
            @PathVariable("id") String id,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            HttpServletRequest http) {
        return query.get(id, RequestOrigin.bearer(authorization), RequestOrigin.of(http));
    }

    @PostMapping(
            path = ApiPaths.CONFIRMATION,
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Confirm the new certificates are on the card",
            description =
                    "A signature by the NEW signing key over SignedPayloads.confirmation(renewalId). Completes the "
                            + "renewal and supersedes the old pair; confirming again answers COMPLETED. The answer "
                            + "names the new certificates by serial and does not repeat them or the CA chain: the "
                            + "card holds them already (GET /api/v1/renewals/{id} with the renewal token and "
                            + "GET /api/v1/ca/certificates still return them).")
    @ApiResponse(
            responseCode = "200",
            description = "the renewal, COMPLETED: id, state, the new certificates' serials and validity, and the "
                    + "replaced certificates' expiry")
    @ApiResponse(
            responseCode = "400",
            description = "REQUEST_INVALID, CONFIRMATION_INVALID, SIGNATURE_ALGORITHM_UNSUPPORTED")
    @ApiResponse(responseCode = "404", description = "RENEWAL_NOT_FOUND")
    public ConfirmationResponse confirm(
            @PathVariable("id") String id, @RequestBody ConfirmationRequest request, HttpServletRequest http) {
        return confirmations.confirm(id, request, RequestOrigin.of(http));
    }
}
