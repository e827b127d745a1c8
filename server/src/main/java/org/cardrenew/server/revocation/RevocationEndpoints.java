package org.cardrenew.server.revocation;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.cardrenew.ca.OcspResponder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where relying parties find revocation, at the URLs written into every certificate (CaConfiguration's defaults):
 * the CRL at {@code /crl/issuing.crl} (RFC 5280 §4.2.1.13) and OCSP at {@code /ocsp} (RFC 6960 Appendix A: POST,
 * and GET with the base64 request in the path).
 */
@RestController
@Hidden // binary protocol, described in docs/PROTOCOLS.md
public class RevocationEndpoints {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RevocationEndpoints.class);
    /** DER OCSPResponse {responseStatus unauthorized(6)}. */
    private static final byte[] UNAUTHORIZED = {0x30, 0x03, 0x0a, 0x01, 0x06};

    static final MediaType OCSP_REQUEST = MediaType.parseMediaType("application/ocsp-request");
    static final MediaType OCSP_RESPONSE = MediaType.parseMediaType("application/ocsp-response");
    static final MediaType PKIX_CRL = MediaType.parseMediaType("application/pkix-crl");
    /** RFC 6960 Appendix A.1: requests larger than this are sent by POST. */
    private static final int MAX_REQUEST = 64 * 1024;

    private final CrlPublisher crl;
    private final OcspResponder responder;
    private final OcspStatusLookup lookup;
    private final RevocationProperties properties;

    public RevocationEndpoints(
            CrlPublisher crl,
            ObjectProvider<OcspResponder> responder,
            OcspStatusLookup lookup,
            RevocationProperties properties) {
        this.crl = crl;
        // A CA back end that offers no OcspResponder: RFC 6960 §2.3, a responder that cannot answer for this CA
        // says "unauthorized".
        this.responder = responder.getIfAvailable(() -> {
            log.warn("the CA back end provides no OCSP responder: /ocsp answers unauthorized until an OcspResponder "
                    + "bean is configured");
            return (request, statuses) -> UNAUTHORIZED.clone();
        });
        this.lookup = lookup;
        this.properties = properties;
    }

    /** The current CRL, DER (RFC 5280 §4.2.1.13: a DER CRL at an HTTP URI, media type application/pkix-crl). */
    @GetMapping("/crl/issuing.crl")
    public ResponseEntity<byte[]> crl() {
        return crl.current()
                .map(current -> ResponseEntity.ok()
                        .contentType(PKIX_CRL)
                        // Caches may keep it until its nextUpdate, but a revocation publishes a new one earlier.
                        .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
                        .lastModified(current.thisUpdate())
                        .body(current.der().bytes()))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    @PostMapping(path = "/ocsp", consumes = "application/ocsp-request")
    public ResponseEntity<byte[]> ocspPost(@RequestBody byte[] request) {
        return ResponseEntity.ok()
                .contentType(OCSP_RESPONSE)
                .cacheControl(CacheControl.noStore())
                .body(responder.respond(request, lookup));
    }

    /** RFC 6960 A.1: GET {url}/{url-encoding of base-64 encoding of the DER encoding of the OCSPRequest}. */
    @GetMapping("/ocsp/**")
    public ResponseEntity<byte[]> ocspGet(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length() + "/ocsp/".length());
        byte[] der;
        try {
            String base64 = URLDecoder.decode(path, StandardCharsets.US_ASCII);
            if (base64.length() > MAX_REQUEST) {
                return ResponseEntity.status(HttpStatus.URI_TOO_LONG).build();
            }
            der = Base64.getMimeDecoder().decode(base64.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException notBase64) {
            der = new byte[0]; // answered malformedRequest by the responder
        }
        // RFC 5019 §6: GET responses may be cached by HTTP proxies until the response goes stale.
        return ResponseEntity.ok()
                .contentType(OCSP_RESPONSE)
                .cacheControl(
                        CacheControl.maxAge(properties.ocspResponseValidity().dividedBy(2))
                                .cachePublic())
                .body(responder.respond(der, lookup));
    }
}
