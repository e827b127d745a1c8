package org.cardrenew.server.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.server.ra.DerCertificates;
import org.cardrenew.server.ra.RenewalResponses;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The CA chain for relying parties and the agent. */
@RestController
@Tag(name = "ca", description = "The CA's certificates")
public class CaCertificatesController {

    static final String PEM_CHAIN = "application/pem-certificate-chain";

    private final RenewalResponses responses;

    public CaCertificatesController(RenewalResponses responses) {
        this.responses = responses;
    }

    @GetMapping(
            path = ApiPaths.CA_CERTIFICATES,
            produces = {PEM_CHAIN, "text/plain"})
    @Operation(summary = "The CA chain as a PEM bundle, issuing CA first, root last (RFC 7468)")
    @ApiResponse(responseCode = "200", description = "PEM certificates")
    public String certificates() {
        StringBuilder pem = new StringBuilder();
        Base64.Encoder lines = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate c : responses.chainCertificates()) {
            pem.append("-----BEGIN CERTIFICATE-----\n")
                    .append(lines.encodeToString(DerCertificates.der(c)))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return pem.toString();
    }
}
