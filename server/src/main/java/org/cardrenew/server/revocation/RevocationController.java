package org.cardrenew.server.revocation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.cardrenew.server.audit.ClientAddress;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin revocation of a certificate or a whole card (admin bearer token, like every /api/v1/admin path). */
@RestController
@RequestMapping("/api/v1/admin/revocations")
@Tag(name = "admin")
@SecurityRequirement(name = "adminToken")
public class RevocationController {

    /** Which certificate and why. */
    @Schema(description = "A certificate of this CA to revoke")
    public record RevocationRequest(
            @Schema(description = "hex serial number (colons allowed)", example = "5a3f09c2e1")
            String serial,

            @Schema(
                    description = "RFC 5280 §5.3.1 reason: unspecified, keyCompromise, cACompromise, "
                            + "affiliationChanged, superseded, cessationOfOperation, certificateHold, privilegeWithdrawn, "
                            + "aACompromise; default unspecified",
                    example = "keyCompromise")
            String reason,

            @Schema(
                    description =
                            "certificate (default): only this certificate; card: every unexpired certificate of "
                                    + "the card — both of this certificate's pair, of the pair it renewed and of every pair a renewal "
                                    + "of it issued (confirmed or not) — and the card can no longer renew (CERTIFICATE_REVOKED)",
                    allowableValues = {"certificate", "card"},
                    example = "card")
            String scope) {}

    /** The revocation as recorded; the CRL published with it has already been regenerated. */
    public record RevocationResponse(
            String serial,
            Instant revokedAt,
            String reason,
            @Schema(description = "certificate or card") String scope,

            @Schema(description = "every serial this request revoked (hex)")
            List<String> revoked) {}

    private final RevocationService revocations;

    public RevocationController(RevocationService revocations) {
        this.revocations = revocations;
    }

    @PostMapping
    @Operation(
            summary = "Revoke a certificate",
            description = "Records the revocation, audits it and publishes a new CRL; OCSP answers revoked at once. "
                    + "With scope card, every unexpired certificate of the card in one transaction. "
                    + "Errors: 400 REQUEST_INVALID (serial, reason or scope), 403 CERTIFICATE_UNKNOWN/CERTIFICATE_REVOKED "
                    + "(not issued here / already revoked: for scope card, nothing of the card left to revoke), "
                    + "401 ADMIN_UNAUTHORIZED.")
    public RevocationResponse revoke(@RequestBody RevocationRequest request, HttpServletRequest http) {
        RevocationService.Revoked revoked = revocations.revoke(
                request == null ? null : request.serial(),
                request == null ? null : request.reason(),
                request == null ? null : request.scope(),
                new ClientAddress(http.getRemoteAddr()));
        return new RevocationResponse(
                revoked.serial(),
                revoked.revokedAt(),
                revoked.reason().rfcName(),
                revoked.scope().wireName(),
                revoked.revoked());
    }
}
