package org.cardrenew.agent.cli;

import java.io.PrintStream;
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
}
