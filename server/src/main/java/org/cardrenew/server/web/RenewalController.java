package org.cardrenew.server.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
import org.cardrenew.server.ra.RenewalResponses;
import org.cardrenew.server.ra.RenewalService;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Renewal, resume and confirmation. */
@RestController
@Tag(name = "renewal")
public class RenewalController {

    private static final String CHAIN_NOTE = "The answer leaves the CA chain out (the agent does not use it; "
            + "GET /api/v1/ca/certificates publishes it): a client that wants it in the answer adds ?include=chain.";
    private static final String INCLUDE_DESCRIPTION =
            "chain: add the CA chain (base64 DER, issuing CA first, root last) to the answer; absent: no chain";

    private final RenewalService renewals;
    private final RenewalQuery query;
    private final ConfirmationService confirmations;
    private final RenewalResponses responses;

    public RenewalController(
            RenewalService renewals,
            RenewalQuery query,
            ConfirmationService confirmations,
            RenewalResponses responses) {
        this.renewals = renewals;
        this.query = query;
        this.confirmations = confirmations;
        this.responses = responses;
    }

    @PostMapping(
            path = ApiPaths.RENEWALS,
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Renew both certificates of the card",
            description =
                    "Two PKCS#10 requests (signing, encryption) from keys the card just generated, with the current "
                            + "subject. Idempotent by public keys: the same two keys again return the same renewal and certificates. "
                            + CHAIN_NOTE)
    @ApiResponse(
            responseCode = "200",
            description = "the renewal, ISSUED (or later) with both certificates; the CA chain only with include=chain")
    @ApiResponse(
            responseCode = "400",
            description =
                    "REQUEST_INVALID (also an include other than chain), CSR_MALFORMED, CSR_SIGNATURE_INVALID, CSR_SUBJECT_MISMATCH, "
                            + "KEY_TYPE_UNSUPPORTED, KEY_NOT_NEW, KEYS_IDENTICAL, VALIDITY_INVALID")
    @ApiResponse(responseCode = "401", description = "RENEWAL_TOKEN_INVALID")
    @ApiResponse(responseCode = "403", description = "CERTIFICATE_EXPIRED, CERTIFICATE_REVOKED, NOT_YET_RENEWABLE")
    @ApiResponse(
            responseCode = "409",
            description = "RENEWAL_IN_PROGRESS (another renewal with other keys), ALREADY_RENEWED")
    @ApiResponse(responseCode = "503", description = "CA_UNAVAILABLE")
    public RenewalResponse renew(
            @RequestBody RenewalRequest request,
            @Parameter(description = INCLUDE_DESCRIPTION) @RequestParam(name = ApiPaths.INCLUDE, required = false)
                    String include,
            HttpServletRequest http) {
        boolean chain = includesChain(include);
        return withChainIf(chain, renewals.renew(request, RequestOrigin.of(http)));
    }

    @GetMapping(path = ApiPaths.RENEWAL, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Fetch a renewal again (resume)",
            description =
                    "Authorised by a renewal token (Authorization: Bearer) bound to the renewed certificate. Returns the "
                            + "already issued certificates; a renewal interrupted before issuance is issued now. "
                            + CHAIN_NOTE)
    @ApiResponse(responseCode = "200", description = "the renewal; the CA chain only with include=chain")
    @ApiResponse(
            responseCode = "400",
            description = "REQUEST_INVALID: the id is not a renewal id, or an include other than chain")
    @ApiResponse(responseCode = "401", description = "RENEWAL_TOKEN_INVALID")
    @ApiResponse(responseCode = "404", description = "RENEWAL_NOT_FOUND")
    public RenewalResponse renewal(
            @PathVariable("id") String id,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @Parameter(description = INCLUDE_DESCRIPTION) @RequestParam(name = ApiPaths.INCLUDE, required = false)
                    String include,
            HttpServletRequest http) {
        boolean chain = includesChain(include);
        return withChainIf(chain, query.get(id, RequestOrigin.bearer(authorization), RequestOrigin.of(http)));
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

    /**
     * Read before the request is handled, so a bad value refuses it before anything is claimed or issued. Several
     * values (comma-separated, or the parameter repeated) may only all be {@code chain}. Anything else is refused as
     * Spring refuses a parameter it cannot convert: {@link ApiErrors} answers REQUEST_INVALID and audits the refusal
     * (REQUEST_REFUSED, counted in cardrenew_decisions_total).
     */
    private static boolean includesChain(String include) {
        if (include == null) {
            return false;
        }
        for (String part : include.split(",", -1)) {
            if (!part.trim().equals(ApiPaths.INCLUDE_CHAIN)) {
                throw new TypeMismatchException(include, ApiPaths.class);
            }
        }
        return true;
    }

    private RenewalResponse withChainIf(boolean chain, RenewalResponse response) {
        return chain ? response.withChain(responses.chain()) : response;
    }
}
