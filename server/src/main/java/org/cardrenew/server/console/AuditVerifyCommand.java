package org.cardrenew.server.console;

import java.io.PrintStream;
import org.cardrenew.server.audit.AuditVerification;
import org.cardrenew.server.audit.AuditVerifier;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * The verification command: {@code bin/cardrenew-server --cardrenew.audit.verify=true --server.port=0} (beside a
 * running server: any free port; the security configuration needs the web context, so it cannot run without one)
 * verifies the whole trail against the configured database, prints the result and exits 0 (intact) or 3 (first bad
 * record named) before serving anything. docs/AUDIT.md.
 */
@Component
@ConditionalOnProperty(name = "cardrenew.audit.verify", havingValue = "true")
public class AuditVerifyCommand implements ApplicationRunner {

    static final int TAMPERED = 3;

    private final AuditVerifier verifier;
    private final ApplicationContext context;

    public AuditVerifyCommand(AuditVerifier verifier, ApplicationContext context) {
        this.verifier = verifier;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) {
        int code = report(verifier.verify(), System.out);
        System.exit(SpringApplication.exit(context, (ExitCodeGenerator) () -> code));
    }

    static int report(AuditVerification result, PrintStream out) {
        if (!result.keysPinned()) {
            out.println("warning: checkpoints were checked against the audit key on disk; pin its fingerprint in "
                    + "cardrenew.audit.trusted-keys (docs/AUDIT.md)");
        }
        if (result.ok()) {
            out.printf(
                    "audit trail intact: %d records, %d signed checkpoints, signed up to record %d%s%n",
                    result.records(),
                    result.checkpoints(),
                    result.signedUpTo(),
                    result.pending() == 0 ? "" : "; " + result.pending() + " more waiting to be chained");
            return 0;
        }
        out.printf(
                "audit trail NOT intact: first bad record %d: %s (%d records, %d checkpoints read)%n",
                result.firstBadSeq(), result.reason(), result.records(), result.checkpoints());
        return TAMPERED;
    }
}
