package org.cardrenew.server.est;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.store.CertificateKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * EST (RFC 7030) under {@code /.well-known/est}: {@code cacerts} and {@code simplereenroll}. A card pair is re-enrolled
 * with two labelled requests (RFC 7030 §3.2.2): {@code /.well-known/est/signing/simplereenroll} and
 * {@code /.well-known/est/encryption/simplereenroll}; the unlabelled path is the signing half. Responses are
 * certs-only CMC: a CMS SignedData without signers, base64 (RFC 7030 §4.1.3, §4.2.3).
 */
@RestController
@Hidden // binary protocol, described in docs/PROTOCOLS.md
public class EstController {

    private static final Logger log = LoggerFactory.getLogger(EstController.class);
    static final MediaType CERTS_ONLY = MediaType.parseMediaType("application/pkcs7-mime; smime-type=certs-only");
    /** RFC 7030 §4.2.3: when to retry a request that is waiting for its other half. */
    static final String RETRY_SECONDS = "5";

    private final EstService est;
    private final CertificateAuthority ca;

    public EstController(EstService est, CertificateAuthority ca) {
        this.est = est;
        this.ca = ca;
    }

    /** RFC 7030 §4.1: the CA certificates (issuing and root), for the client's explicit trust anchor database. */
    @GetMapping({"/.well-known/est/cacerts", "/.well-known/est/{label}/cacerts"})
    public ResponseEntity<String> cacerts() {
        return certsOnly(ca.chain());
    }

    @PostMapping({"/.well-known/est/simplereenroll", "/.well-known/est/{label}/simplereenroll"})
    public ResponseEntity<String> simpleReenroll(
            @PathVariable(required = false) String label, @RequestBody String csr, HttpServletRequest request) {
        CertificateKind kind = kind(label);
        EstService.Outcome outcome =
                est.simpleReenroll(clientCertificate(request), kind, csr, new ClientAddress(request.getRemoteAddr()));
        if (outcome.pending()) {
            return ResponseEntity.accepted()
                    .header(HttpHeaders.RETRY_AFTER, RETRY_SECONDS)
                    .build();
        }
        return certsOnly(List.of(outcome.certificate()));
    }

    /** RFC 7030 §4.2.3: errors as text the operator can read, with the RA's code and HTTP status. */
    @ExceptionHandler(RaException.class)
    public ResponseEntity<String> refused(RaException e) {
        log.info("EST refused {}: {}", e.code(), e.getMessage());
        return ResponseEntity.status(e.code().httpStatus())
                .contentType(MediaType.TEXT_PLAIN)
                .body(e.code().name() + "\n");
    }

    private static CertificateKind kind(String label) {
        if (label == null || label.equals("signing")) {
            return CertificateKind.SIGNING;
        }
        if (label.equals("encryption")) {
            return CertificateKind.ENCRYPTION;
        }
        throw new RaException(
                org.cardrenew.protocol.ErrorCode.REQUEST_INVALID,
                "EST label must be signing or encryption, not " + label);
    }

    private static X509Certificate clientCertificate(HttpServletRequest request) {
        Object chain = request.getAttribute("jakarta.servlet.request.X509Certificate");
        return chain instanceof X509Certificate[] certificates && certificates.length > 0 ? certificates[0] : null;
    }

    private static ResponseEntity<String> certsOnly(List<X509Certificate> certificates) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new JcaCertStore(certificates));
            byte[] der = generator.generate(new CMSAbsentContent()).getEncoded("DER");
            return ResponseEntity.ok()
                    .contentType(CERTS_ONLY)
                    .header("Content-Transfer-Encoding", "base64")
                    // 64-character lines (RFC 2045), LF-separated so that `base64 -d` and openssl both read it.
                    .body(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n");
        } catch (CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("cannot encode certs-only CMS: " + e.getMessage(), e);
        }
    }
}
