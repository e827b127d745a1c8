package org.cardrenew.agent.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.CardEntry;
import org.cardrenew.agent.renewal.DecryptionKeys;
import org.cardrenew.agent.renewal.PinPurpose;
import org.cardrenew.agent.report.CertificateReport;
import org.cardrenew.agent.report.HistoryReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cardrenew history list|remove}: the old encryption keys a card keeps as decryption history, and the
 * holder's explicit removal of one of them (to make room on a full card). Works on the card alone.
 */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = {
            "The old decryption keys the card keeps (documents encrypted to them stay readable).",
            "list: show them; remove --serial S: delete one you no longer need (e.g. when the card is full)."
        })
final class HistoryCommand implements Runnable {

    private final PrintStream out;

    private HistoryCommand(PrintStream out) {
        this.out = out;
    }

    static CommandLine withSubcommands(PrintStream out, PrintStream err, Map<String, String> env) {
        return new CommandLine(new HistoryCommand(out))
                .addSubcommand(new ListCommand(out, err, env))
                .addSubcommand(new RemoveCommand(out, err, env));
    }

    /** Without a subcommand: the usage. */
    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }

    /** A history subcommand: the card's options only (no server), and the card logged in. */
    abstract static class OnCard extends TokenCommand {

        @Mixin
        TokenOptions options = new TokenOptions();

        OnCard(PrintStream out, PrintStream err, Map<String, String> env) {
            super(out, err, env);
        }

        @Override
        final TokenOptions tokenOptions() {
            return options;
        }

        @Override
        final ExitCode execute(Card card, PinInput pins, Output output) throws Exception {
            card.login(pins.pin(PinPurpose.LOGIN));
            return loggedIn(card, output);
        }

        abstract ExitCode loggedIn(Card card, Output output) throws Exception;
    }

    /** {@code cardrenew history list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the old decryption keys kept on the card")
    static final class ListCommand extends OnCard {

        /** {@code --json}: the old decryption keys, oldest first. */
        record Listed(List<CertificateReport> decryptionHistory) {}

        ListCommand(PrintStream out, PrintStream err, Map<String, String> env) {
            super(out, err, env);
        }

        @Override
        ExitCode loggedIn(Card card, Output output) throws Exception {
            List<CardEntry> history = DecryptionKeys.list(card);
            output.sayHistory(history);
            if (output.json()) {
                output.object(new Listed(HistoryReport.list(history)));
            }
            return ExitCode.OK;
        }
    }

    /** {@code cardrenew history remove --serial S}. */
    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Delete one old decryption key and its certificate from the card (never a current key)")
    static final class RemoveCommand extends OnCard {

        @Option(
                names = "--serial",
                required = true,
                paramLabel = "HEX",
                description = "The certificate serial of the old key, as 'history list' shows it")
        String serial;

        RemoveCommand(PrintStream out, PrintStream err, Map<String, String> env) {
            super(out, err, env);
        }

        @Override
        void validate(Messages messages) throws UsageException {
            if (!serial.matches("[0-9A-Fa-f]{1,64}")) {
                throw new UsageException(messages.get("usage.serial"));
            }
        }

        @Override
        ExitCode loggedIn(Card card, Output output) throws Exception {
            CardEntry removed = DecryptionKeys.remove(card, serial);
            output.say(
                    "history.removed",
                    Output.serial(removed.certificate()),
                    Output.instant(removed.certificate().getNotBefore().toInstant()),
                    Output.instant(removed.certificate().getNotAfter().toInstant()));
            if (output.json()) {
                output.object(HistoryReport.of(removed, DecryptionKeys.list(card)));
            }
            return ExitCode.OK;
        }
    }
}
