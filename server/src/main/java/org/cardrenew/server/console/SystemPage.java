package org.cardrenew.server.console;

import java.security.cert.X509Certificate;
import java.util.List;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.server.access.RateLimitProperties;
import org.cardrenew.server.audit.AuditKey;
import org.cardrenew.server.store.AuditCheckpointRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Administrators: CA status (the chain and its validity), the audit key and last checkpoint, the abuse limits. */
@Controller
public class SystemPage {

    /** One CA certificate as shown. */
    public record CaCertificate(String subject, String serial, String notBefore, String notAfter) {}

    private final CertificateAuthority ca;
    private final AuditKey auditKey;
    private final AuditCheckpointRepository checkpoints;
    private final RateLimitProperties limits;

    public SystemPage(CertificateAuthority ca, AuditKey auditKey, AuditCheckpointRepository checkpoints,
            RateLimitProperties limits) {
        this.ca = ca;
        this.auditKey = auditKey;
        this.checkpoints = checkpoints;
        this.limits = limits;
    }

    @GetMapping("/console/system")
    public String system(Model model) {
        List<CaCertificate> chain = ca.chain().stream().map(SystemPage::shown).toList();
        model.addAttribute("chain", chain);
        model.addAttribute("auditKey", auditKey.fingerprint());
        model.addAttribute("checkpoint", checkpoints.latest().orElse(null));
        model.addAttribute("limits", limits);
        return "console/system";
    }

    private static CaCertificate shown(X509Certificate c) {
        return new CaCertificate(c.getSubjectX500Principal().getName(), c.getSerialNumber().toString(16),
                c.getNotBefore().toInstant().toString(), c.getNotAfter().toInstant().toString());
    }
}
