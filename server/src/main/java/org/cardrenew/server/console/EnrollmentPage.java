package org.cardrenew.server.console;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import org.cardrenew.protocol.EnrollmentRequest;
import org.cardrenew.protocol.EnrollmentResponse;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.config.EnrollmentProperties;
import org.cardrenew.server.ra.EnrollmentService;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Officers: enroll a new card from the console with the holder data and the two CSRs a card-management
 * workstation pasted; the same EnrollmentService (checks, audit) as POST /api/v1/admin/enrollments.
 */
@Controller
public class EnrollmentPage {

    /** One issued certificate as shown: its serial and PEM text (RFC 7468). */
    public record Issued(String kind, String serial, String pem) {}

    private final EnrollmentService enrollments;
    private final EnrollmentProperties properties;
    private final CertificateRepository certificates;

    public EnrollmentPage(
            EnrollmentService enrollments, EnrollmentProperties properties, CertificateRepository certificates) {
        this.enrollments = enrollments;
        this.properties = properties;
        this.certificates = certificates;
    }

    @GetMapping("/console/enrollments")
    public String form(Model model) {
        model.addAttribute("explicitValidity", properties.allowExplicitValidity());
        return "console/enrollment";
    }

    @PostMapping("/console/enrollments")
    public String enroll(
            @RequestParam(required = false) String holderId,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String organization,
            @RequestParam(required = false) String email,
            @RequestParam(required = false) String language,
            @RequestParam(required = false) String signingCsr,
            @RequestParam(required = false) String encryptionCsr,
            @RequestParam(required = false) String notBefore,
            @RequestParam(required = false) String notAfter,
            Authentication officer,
            Model model,
            HttpServletRequest http) {
        try {
            EnrollmentResponse issued = enrollments.enroll(
                    new EnrollmentRequest(
                            holderId,
                            name,
                            organization,
                            email,
                            language,
                            signingCsr,
                            encryptionCsr,
                            instant(notBefore),
                            instant(notAfter)),
                    new ClientAddress(http.getRemoteAddr()),
                    officer.getName());
            model.addAttribute(
                    "issued",
                    List.of(
                            shown("signing", issued.signingCertificate()),
                            shown("encryption", issued.encryptionCertificate())));
            model.addAttribute("holderId", issued.holderId());
        } catch (RaException refused) {
            model.addAttribute("refused", refused.code().name());
            model.addAttribute("detail", refused.getMessage());
        } catch (DateTimeParseException badTime) {
            model.addAttribute("refused", "VALIDITY_INVALID");
            model.addAttribute("detail", "notBefore/notAfter: an instant such as 2027-01-01T00:00:00Z");
        }
        return form(model);
    }

    /** A holder certificate this CA issued, as a PEM file. */
    @GetMapping("/console/certificates/{serial}.pem")
    public ResponseEntity<byte[]> pem(@PathVariable String serial) {
        return certificates
                .findBySerial(serial)
                .map(StoredCertificate::der)
                .map(der -> ResponseEntity.ok()
                        .contentType(new MediaType("application", "x-pem-file"))
                        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + serial + ".pem\"")
                        .body(pem(der.bytes()).getBytes(StandardCharsets.US_ASCII)))
                .orElse(ResponseEntity.notFound().build());
    }

    private static Instant instant(String text) {
        return text == null || text.isBlank() ? null : Instant.parse(text.strip());
    }

    private static Issued shown(String kind, String base64Der) {
        byte[] der = Base64.getDecoder().decode(base64Der);
        String serial;
        try {
            serial = ((X509Certificate)
                            CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)))
                    .getSerialNumber()
                    .toString(16);
        } catch (CertificateException e) {
            throw new IllegalStateException("the CA answered with an unreadable certificate", e);
        }
        return new Issued(kind, serial, pem(der));
    }

    static String pem(byte[] der) {
        // RFC 7468 section 2: base64 lines of 64 characters between the labels
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }
}
