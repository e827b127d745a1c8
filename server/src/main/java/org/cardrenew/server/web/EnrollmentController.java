package org.cardrenew.server.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.EnrollmentResponse;
import org.cardrenew.server.ra.EnrollmentService;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Admin enrollment of new cards. */
@RestController
@Tag(name = "admin", description = "Administration, authenticated by the admin API token")
public class EnrollmentController {

    private final EnrollmentService enrollments;

    public EnrollmentController(EnrollmentService enrollments) {
        this.enrollments = enrollments;
    }

    @PostMapping(
            path = ApiPaths.ENROLLMENTS,
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @SecurityRequirement(name = OpenApiConfiguration.ADMIN_TOKEN)
    @Operation(
            summary = "Enroll a new card (apply for a new card)",
            description =
                    "Holder data and two PKCS#10 requests; the server sets the subject C=TW, O, CN, SERIALNUMBER. "
                            + "Explicit notBefore/notAfter only with cardrenew.enrollment.allow-explicit-validity=true.")
    @ApiResponse(responseCode = "200", description = "the new certificate pair with the chain")
    @ApiResponse(
            responseCode = "400",
            description = "REQUEST_INVALID, HOLDER_INVALID, CSR_MALFORMED, CSR_SIGNATURE_INVALID, "
                    + "KEY_TYPE_UNSUPPORTED, KEY_NOT_NEW, KEYS_IDENTICAL, VALIDITY_INVALID")
    @ApiResponse(responseCode = "401", description = "ADMIN_UNAUTHORIZED: missing or wrong admin token")
    @ApiResponse(responseCode = "403", description = "EXPLICIT_VALIDITY_NOT_ALLOWED")
    @ApiResponse(responseCode = "503", description = "CA_UNAVAILABLE")
    public EnrollmentResponse enroll(@RequestBody EnrollmentRequest request, HttpServletRequest http) {
        return enrollments.enroll(request, RequestOrigin.of(http));
    }
}
