package org.cardrenew.server.ari;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Renewal information in the spirit of ACME ARI (RFC 9773 §4.2): when should this certificate be renewed. */
@RestController
@Tag(name = "renewal-information")
public class RenewalInfoController {

    /** RFC 9773 §4.2 response body. */
    @Schema(description = "RFC 9773 §4.2 renewal information")
    public record RenewalInfo(SuggestedWindow suggestedWindow) {}

    /** The window in which to renew; in the past means "now". */
    public record SuggestedWindow(Instant start, Instant end) {}

    private final RenewalInformation information;

    public RenewalInfoController(RenewalInformation information) {
        this.information = information;
    }

    @GetMapping("/api/v1/renewal-info/{certId}")
    @Operation(
            summary = "Suggested renewal window of a certificate (RFC 9773)",
            description =
                    "certId is base64url(authorityKeyIdentifier keyIdentifier) '.' base64url(DER serial number "
                            + "bytes), as RFC 9773 §4.1 builds it. A revoked certificate gets a window in the past. "
                            + "403 CERTIFICATE_UNKNOWN for certificates not issued here, 400 REQUEST_INVALID for a malformed id.",
            responses =
                    @ApiResponse(
                            responseCode = "200",
                            description = "the window",
                            headers =
                                    @Header(
                                            name = "Retry-After",
                                            description = "seconds until the client should ask again")))
    public ResponseEntity<RenewalInfo> renewalInfo(
            @Parameter(description = "RFC 9773 §4.1 unique identifier") @PathVariable String certId) {
        RenewalInformation.Answer answer = information.of(certId);
        return ResponseEntity.ok()
                .header(
                        HttpHeaders.RETRY_AFTER,
                        Long.toString(answer.retryAfter().toSeconds()))
                .body(new RenewalInfo(new SuggestedWindow(answer.start(), answer.end())));
    }
}
