package org.cardrenew.agent.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cardrenew.agent.card.Card;

/** A command that works on a card: resolves messages, the PIN source and the card, and maps every failure. */
abstract class TokenCommand implements Callable<Integer> {

    private final PrintStream out;
    private final PrintStream err;
    final Map<String, String> env;

    TokenCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    abstract TokenOptions tokenOptions();

    @Override
    public final Integer call() {
        TokenOptions options = tokenOptions();
        Output output = new Output(out, err, Messages.of(options.language), options.json);
        try {
            if (!Messages.supported(options.language)) {
                throw new UsageException(output.messages().get("usage.lang"));
            }
            validate(output.messages());
            prepare(output.messages());
            try (PinInput pins = PinInput.from(options, env, output.messages());
                    Card card = Card.open(options.module, options.token)) {
                return execute(card, pins, output).code();
            }
        } catch (UsageException e) {
            return output.usage(e);
        } catch (Exception e) {
            return output.failure(e, options);
        }
    }

    /** Checks command-specific options before any PIN is read or card opened. */
    void validate(Messages messages) throws UsageException {}

    /** Prepares what every command of a kind needs, after {@link #validate} and before the PIN or the card. */
    void prepare(Messages messages) throws UsageException {}

    abstract ExitCode execute(Card card, PinInput pins, Output output) throws Exception;
}
