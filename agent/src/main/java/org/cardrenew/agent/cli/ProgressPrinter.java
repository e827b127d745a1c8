package org.cardrenew.agent.cli;

import java.io.PrintStream;
import java.security.cert.X509Certificate;
import org.cardrenew.agent.renewal.RenewalListener;
import org.cardrenew.agent.renewal.RenewalStep;

/** One human-readable line per step, as it starts. */
final class ProgressPrinter implements RenewalListener {

    private final PrintStream out;
    private final Messages messages;

    ProgressPrinter(PrintStream out, Messages messages) {
        this.out = out;
        this.messages = messages;
    }

    @Override
    public void stepStarted(RenewalStep step) {
        if (step != RenewalStep.DONE) {
            out.println("- " + messages.get("step." + step));
        }
    }

    @Override
    public void decryptionKeyRemoved(X509Certificate certificate) {
        out.println("- "
                + messages.get(
                        "renew.historyRemoved",
                        Output.serial(certificate),
                        Output.instant(certificate.getNotAfter().toInstant())));
    }
}
