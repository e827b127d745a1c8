package org.cardrenew.server.revocation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import org.cardrenew.server.audit.ClientAddress;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin revocation of one certificate (admin bearer token, like every /api/v1/admin path). */
@RestController
@RequestMapping("/api/v1/admin/revocations")
@Tag(name = "admin")
@SecurityRequirement(name = "adminToken")
public class RevocationController {

    /** Which certificate and why. */
    @Schema(description = "A certificate of this CA to revoke")
    public record RevocationRequest(
            @Schema(description = "hex serial number (colons allowed)", example = "5a3f09c2e1") String serial,
            @Schema(description = "RFC 5280 §5.3.1 reason: unspecified, keyCompromise, cACompromise, "
                    + "affiliationChanged, superseded, cessationOfOperation, certificateHold, privilegeWithdrawn, "
                    + "aACompromise; default unspecified", example = "keyCompromise") String reason) {}

    /** The revocation as recorded; the CRL published with it has already been regenerated. */
    public record RevocationResponse(String serial, Instant revokedAt, String reason) {}

    private final RevocationService revocations;

    public RevocationController(RevocationService revocations) {
        this.revocations = revocations;
    }

    @PostMapping
    @Operation(summary = "Revoke a certificate",
            description = "Records the revocation, audits it and publishes a new CRL; OCSP answers revoked at once. "
                    + "Errors: 400 REQUEST_INVALID (serial or reason), 403 CERTIFICATE_UNKNOWN/CERTIFICATE_REVOKED "
                    + "(not issued here / already revoked), 401 ADMIN_UNAUTHORIZED.")
    public RevocationResponse revoke(@RequestBody RevocationRequest request, HttpServletRequest http) {
        RevocationService.Revoked revoked = revocations.revoke(request == null ? null : request.serial(),
                request == null ? null : request.reason(), new ClientAddress(http.getRemoteAddr()));
        return new RevocationResponse(revoked.serial(), revoked.revokedAt(), revoked.reason().rfcName());
    }
}
