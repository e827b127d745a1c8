package org.cardrenew.server.console;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.notify.ReminderAdministration;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.revocation.RevocationService;
import org.cardrenew.server.store.ConsoleSearch;
import org.cardrenew.server.store.ConsoleSearch.CertificateRow;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.ReminderRepository;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/** Read-only officer pages: search, a certificate with its card's renewal history, a renewal with its decisions. */
@Controller
public class OfficerPages {

    private final ConsoleSearch search;
    private final RevocationService revocations;
    private final AuditLog audit;
    private final ReminderAdministration reminders;
    private final ReminderRepository reminderRows;

    public OfficerPages(
            ConsoleSearch search,
            RevocationService revocations,
            AuditLog audit,
            ReminderAdministration reminders,
            ReminderRepository reminderRows) {
        this.search = search;
        this.revocations = revocations;
        this.audit = audit;
        this.reminders = reminders;
        this.reminderRows = reminderRows;
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
            List<Object> fields = List.of(
                    c.serial(),
                    c.kind(),
                    c.holderId(),
                    c.holderName(),
                    c.organization(),
                    c.subjectDn(),
                    c.notBefore(),
                    c.notAfter(),
                    c.revokedAt() == null ? "" : c.revokedAt(),
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
        CertificateRow certificate =
                search.certificate(serial).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        model.addAttribute("certificate", certificate);
        model.addAttribute("renewals", search.renewalsOfHolder(certificate.holderId()));
        model.addAttribute("reasons", REASONS);
        model.addAttribute("reminders", reminderRows.forPair(new PairId(certificate.pairId())));
        return "console/certificate";
    }

    /** RFC 5280 §5.3.1 reasons an officer may choose for a holder's card. */
    static final List<String> REASONS = List.of(
            "unspecified",
            "keyCompromise",
            "affiliationChanged",
            "superseded",
            "cessationOfOperation",
            "privilegeWithdrawn");

    /**
     * Revocation with a reason and a scope, this certificate or the whole card (officers, administrators); back to
     * the certificate with the outcome.
     */
    @PostMapping("/console/certificates/{serial}/revocation")
    public String revoke(
            @PathVariable String serial,
            @RequestParam(name = "reason", defaultValue = "") String reason,
            @RequestParam(name = "scope", defaultValue = "certificate") String scope,
            Authentication officer,
            HttpServletRequest http) {
        if (!REASONS.contains(reason)) {
            return "redirect:/console/certificates/" + serial + "?refused=REQUEST_INVALID";
        }
        ClientAddress from = new ClientAddress(http.getRemoteAddr());
        audit.record(AuditEvent.success(officer.getName(), AuditAction.CONSOLE_REVOCATION_REQUESTED, from)
                .code(reason)
                .certificate(serial)
                .detail("scope " + scope));
        try {
            RevocationService.Revoked revoked = revocations.revoke(serial, reason, scope, from);
            return "redirect:/console/certificates/" + serial + "?revoked="
                    + revoked.revoked().size();
        } catch (RaException refused) {
            return "redirect:/console/certificates/" + serial + "?refused="
                    + refused.code().name();
        }
    }

    /** Re-sends an expiry reminder of the card (officers, administrators); back to the certificate. */
    @PostMapping("/console/reminders/{id}/resend")
    public String resend(
            @PathVariable long id,
            @RequestParam(name = "serial", defaultValue = "") String serial,
            Authentication officer,
            HttpServletRequest http) {
        ClientAddress from = new ClientAddress(http.getRemoteAddr());
        audit.record(AuditEvent.success(officer.getName(), AuditAction.CONSOLE_RESEND_REQUESTED, from)
                .certificate(serial.isEmpty() ? null : serial)
                .detail("reminder " + id));
        ReminderAdministration.Resend outcome = reminders.resend(id, from);
        String back = serial.matches("[0-9a-f]{1,64}") ? "/console/certificates/" + serial : "/console";
        return "redirect:" + back + "?resent=" + outcome.name();
    }

    @GetMapping("/console/renewals/{id}")
    public String renewal(@PathVariable String id, Model model) {
        model.addAttribute(
                "renewal", search.renewal(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)));
        model.addAttribute("events", search.auditOfRenewal(id));
        return "console/renewal";
    }
}
