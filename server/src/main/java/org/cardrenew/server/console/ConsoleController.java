package org.cardrenew.server.console;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.AuditVerification;
import org.cardrenew.server.audit.AuditVerifier;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.store.AuditQueries;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.web.pages.BridgeProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/** Console pages: sign-in, the start page, and the audit trail with its verification (auditors, administrators). */
@Controller
public class ConsoleController {

    static final int AUDIT_PAGE = 100;

    private final AuditVerifier verifier;
    private final AuditQueries audit;
    private final AuditLog log;
    private final Dashboard dashboard;
    private final BridgeProperties bridge;

    private final ConsoleLockoutProperties lockout;

    public ConsoleController(
            AuditVerifier verifier,
            AuditQueries audit,
            AuditLog log,
            Dashboard dashboard,
            BridgeProperties bridge,
            ConsoleLockoutProperties lockout) {
        this.lockout = lockout;
        this.verifier = verifier;
        this.audit = audit;
        this.log = log;
        this.dashboard = dashboard;
        this.bridge = bridge;
    }

    @GetMapping("/console/login")
    public String login(Model model) {
        // the officer's own card signs in through the local bridge, as on the holder's renewal page
        model.addAttribute("bridgeUrl", bridge.origin());
        model.addAttribute("lockFailures", lockout.failures());
        model.addAttribute("lockMinutes", Math.max(1, lockout.duration().toMinutes()));
        return "console/login";
    }

    @GetMapping("/console")
    public String start(Authentication user, Model model) {
        model.addAttribute("user", user.getName());
        model.addAttribute("role", role(user));
        model.addAttribute("mayAudit", role(user) != ConsoleRole.OFFICER);
        model.addAttribute("mayEnroll", role(user) != ConsoleRole.AUDITOR);
        model.addAttribute("mayAdminister", role(user) == ConsoleRole.ADMINISTRATOR);
        model.addAttribute(
                "charts",
                List.of(dashboard.renewalsPerDay(), dashboard.expiringPerWeek(), dashboard.refusalsByReason()));
        return "console/start";
    }

    /** One dashboard list as CSV: renewals, expiring or refusals. */
    @GetMapping("/console/dashboard/{chart}.csv")
    public ResponseEntity<byte[]> chartCsv(@PathVariable String chart) {
        Dashboard.Chart data = switch (chart) {
            case "renewals" -> dashboard.renewalsPerDay();
            case "expiring" -> dashboard.expiringPerWeek();
            case "refusals" -> dashboard.refusalsByReason();
            default -> null;
        };
        if (data == null) {
            return ResponseEntity.notFound().build();
        }
        StringBuilder csv = new StringBuilder(chart.equals("refusals") ? "code,count\r\n" : "from,count\r\n");
        data.bars()
                .forEach(b -> csv.append(csvField(b.label()))
                        .append(',')
                        .append(b.count())
                        .append("\r\n"));
        return csv(chart + ".csv", csv);
    }

    /**
     * The latest records and the last verification's result with its time and who ran it (from its audit record):
     * verifying the whole trail on every view would make each page view cost a full read of the trail.
     */
    @GetMapping("/console/audit")
    public String auditTrail(Authentication user, Model model) {
        model.addAttribute("user", user.getName());
        model.addAttribute(
                "lastVerification",
                audit.latestOf(AuditAction.AUDIT_VERIFIED.name()).orElse(null));
        model.addAttribute("records", audit.latest(AUDIT_PAGE));
        return "console/audit";
    }

    /** Verifies the whole trail now (streamed, constant memory), records who did and shows the audit page again. */
    @PostMapping("/console/audit/verification")
    public String verifyNow(Authentication user, HttpServletRequest http) {
        AuditVerification result = verifier.verify();
        log.record(VerificationAudit.event(user.getName(), result, new ClientAddress(http.getRemoteAddr())));
        return "redirect:/console/audit";
    }

    /** The same list as CSV (RFC 4180), for spreadsheets. */
    @GetMapping("/console/audit.csv")
    public ResponseEntity<byte[]> auditCsv() {
        StringBuilder csv = new StringBuilder("seq,occurred_at,actor,action,outcome,code,certificate_serial,renewal_id,"
                + "client_address,detail,hash\r\n");
        for (AuditRecord r : audit.latest(AUDIT_PAGE)) {
            List<Object> fields = List.of(
                    r.seq(),
                    r.occurredAt(),
                    text(r.actor()),
                    text(r.action()),
                    text(r.outcome()),
                    text(r.code()),
                    text(r.certificateSerial()),
                    text(r.renewalId()),
                    text(r.clientAddress()),
                    text(r.detail()),
                    r.hash());
            for (int i = 0; i < fields.size(); i++) {
                csv.append(i == 0 ? "" : ",").append(csvField(String.valueOf(fields.get(i))));
            }
            csv.append("\r\n");
        }
        return csv("audit.csv", csv);
    }

    private static ResponseEntity<byte[]> csv(String filename, StringBuilder csv) {
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"")
                .body(csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String csvField(String value) {
        // A leading = + - @ would be run as a formula by spreadsheets (CSV injection): prefix a quote.
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return safe.matches("[^\",\r\n]*") ? safe : "\"" + safe.replace("\"", "\"\"") + "\"";
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static ConsoleRole role(Authentication user) {
        return user.getAuthorities().stream()
                .map(a -> a.getAuthority().substring("ROLE_".length()))
                .map(ConsoleRole::valueOf)
                .findFirst()
                .orElseThrow();
    }
}
