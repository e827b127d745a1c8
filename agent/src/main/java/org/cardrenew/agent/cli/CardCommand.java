package org.cardrenew.agent.cli;

import java.io.PrintStream;
import java.util.Map;
import org.cardrenew.agent.card.Card;
import org.cardrenew.protocol.RaClient;
import org.cardrenew.protocol.ServerTrust;
import picocli.CommandLine.Mixin;

/** A command that works on a card and talks to the server (the RA) about it. */
abstract class CardCommand extends TokenCommand {

    @Mixin
    CardOptions options = new CardOptions();

    private ServerTrust trust;

    CardCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        super(out, err, env);
    }

    @Override
    final TokenOptions tokenOptions() {
        return options;
    }

    /** The TLS roots: the system's, plus --ca-file; a bad file is a usage error before anything else happens. */
    @Override
    final void prepare(Messages messages) throws UsageException {
        try {
            trust = ServerTrust.system(options.caFile);
        } catch (IllegalArgumentException e) {
            throw new UsageException(messages.get("usage.caFile", e.getMessage()));
        }
    }

    @Override
    final ExitCode execute(Card card, PinInput pins, Output output) throws Exception {
        return execute(card, pins, new RaClient(options.server, options.language, trust), output);
    }

    abstract ExitCode execute(Card card, PinInput pins, RaClient ra, Output output) throws Exception;
}
