package org.cardrenew.server.console;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cardrenew.server.store.ConsoleSearch;
import org.cardrenew.server.store.ConsoleSearch.CertificateRow;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/** Read-only officer pages: search, a certificate with its card's renewal history, a renewal with its decisions. */
@Controller
public class OfficerPages {

    private final ConsoleSearch search;

    public OfficerPages(ConsoleSearch search) {
        this.search = search;
    }

    @GetMapping("/console/search")
    public String search(@RequestParam(name = "q", required = false) String q, Model model) {
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("results", q == null || q.isBlank() ? List.of() : search.certificates(q));
        return "console/search";
    }

    @GetMapping("/console/search.csv")
    public ResponseEntity<byte[]> searchCsv(@RequestParam(name = "q", defaultValue = "") String q) {
        StringBuilder csv = new StringBuilder("serial,kind,holder_id,holder_name,organization,subject,not_before,"
                + "not_after,revoked_at,pair_status\r\n");
        for (CertificateRow c : q.isBlank() ? List.<CertificateRow>of() : search.certificates(q)) {
            List<Object> fields = List.of(c.serial(), c.kind(), c.holderId(), c.holderName(), c.organization(),
                    c.subjectDn(), c.notBefore(), c.notAfter(), c.revokedAt() == null ? "" : c.revokedAt(),
                    c.pairStatus());
            for (int i = 0; i < fields.size(); i++) {
                csv.append(i == 0 ? "" : ",").append(ConsoleController.csvField(String.valueOf(fields.get(i))));
            }
            csv.append("\r\n");
        }
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"certificates.csv\"")
                .body(csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    @GetMapping("/console/certificates/{serial}")
    public String certificate(@PathVariable String serial, Model model) {
        CertificateRow certificate = search.certificate(serial)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        model.addAttribute("certificate", certificate);
        model.addAttribute("renewals", search.renewalsOfHolder(certificate.holderId()));
        return "console/certificate";
    }

    @GetMapping("/console/renewals/{id}")
    public String renewal(@PathVariable String id, Model model) {
        model.addAttribute("renewal", search.renewal(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)));
        model.addAttribute("events", search.auditOfRenewal(id));
        return "console/renewal";
    }
}
