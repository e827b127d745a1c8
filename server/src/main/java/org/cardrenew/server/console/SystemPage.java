package org.cardrenew.server.console;

import java.security.cert.X509Certificate;
import java.util.List;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.server.access.RateLimitProperties;
import org.cardrenew.server.audit.AuditKey;
import org.cardrenew.server.config.CryptoModules;
import org.cardrenew.server.store.AuditCheckpointRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Administrators: CA status (the chain and its validity), the crypto modules that sign and check, the audit key and
 * last checkpoint, the abuse limits, and the browser policy files that let managed PCs reach the card bridge without
 * a prompt.
 */
@Controller
public class SystemPage {

    /** One CA certificate as shown. */
    public record CaCertificate(String subject, String serial, String notBefore, String notAfter) {}

    private final CertificateAuthority ca;
    private final AuditKey auditKey;
    private final AuditCheckpointRepository checkpoints;
    private final RateLimitProperties limits;
    private final BrowserPolicies policies;
    private final ObjectProvider<CryptoModules> cryptoModules;

    public SystemPage(
            CertificateAuthority ca,
            AuditKey auditKey,
            AuditCheckpointRepository checkpoints,
            RateLimitProperties limits,
            BrowserPolicies policies,
            ObjectProvider<CryptoModules> cryptoModules) {
        this.ca = ca;
        this.cryptoModules = cryptoModules;
        this.auditKey = auditKey;
        this.checkpoints = checkpoints;
        this.limits = limits;
        this.policies = policies;
    }

    @GetMapping("/console/system")
    public String system(Model model) {
        List<CaCertificate> chain = ca.chain().stream().map(SystemPage::shown).toList();
        model.addAttribute("chain", chain);
        // A remote CA back end has no embedded CA to name: the page then says "no data".
        model.addAttribute("crypto", cryptoModules.getIfAvailable());
        model.addAttribute("auditKey", auditKey.fingerprint());
        model.addAttribute("checkpoint", checkpoints.latest().orElse(null));
        model.addAttribute("limits", limits);
        model.addAttribute("policies", policies);
        return "console/system";
    }

    /** {@code linux.json}, {@code windows.reg} or {@code macos.mobileconfig}, for the configured public URL. */
    @GetMapping("/console/system/browser-policies/{name}")
    public ResponseEntity<byte[]> browserPolicy(@PathVariable String name) {
        BrowserPolicies.Kind kind = switch (name) {
            case "linux.json" -> BrowserPolicies.Kind.LINUX_JSON;
            case "windows.reg" -> BrowserPolicies.Kind.WINDOWS_REG;
            case "macos.mobileconfig" -> BrowserPolicies.Kind.MACOS_MOBILECONFIG;
            default -> null;
        };
        if (kind == null) {
            return ResponseEntity.notFound().build();
        }
        BrowserPolicies.PolicyFile file = policies.file(kind);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.mediaType()))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(file.fileName())
                                .build()
                                .toString())
                .body(file.content());
    }

    private static CaCertificate shown(X509Certificate c) {
        return new CaCertificate(
                c.getSubjectX500Principal().getName(),
                c.getSerialNumber().toString(16),
                c.getNotBefore().toInstant().toString(),
                c.getNotAfter().toInstant().toString());
    }
}
