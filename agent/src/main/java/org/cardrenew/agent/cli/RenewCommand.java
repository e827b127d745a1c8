package org.cardrenew.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.cardrenew.agent.bridge.BridgeSettings;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.renewal.DecryptionHistory;
import org.cardrenew.agent.renewal.RenewalFlow;
import org.cardrenew.agent.renewal.RenewalOutcome;
import org.cardrenew.agent.report.RenewalReport;
import org.cardrenew.protocol.RaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cardrenew renew}: renews both certificates, or completes an interrupted renewal. */
@Command(
        name = "renew",
        mixinStandardHelpOptions = true,
        description = "Renew the card's signing and encryption certificates (resumes an interrupted renewal)")
final class RenewCommand extends CardCommand {

    @Option(
            names = "--key",
            paramLabel = "rsa2048|rsa3072|p256|p384",
            description = "Type of the new keys (default: the type of the current keys)")
    String key;

    @Option(
            names = "--keep-decryption-keys",
            paramLabel = "N|all",
            description = "How many old encryption keys the card keeps to decrypt older documents "
                    + "(default: keep-decryption-keys in agent.properties, else all until the card is full)")
    String keepDecryptionKeys;

    private DecryptionHistory history;

    RenewCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        super(out, err, env);
    }

    @Override
    void validate(Messages messages) throws UsageException {
        if (key != null && KeySpec.ofCliName(key).isEmpty()) {
            throw new UsageException(messages.get("usage.key"));
        }
        Path file = BridgeSettings.defaultFile(
                System.getProperty("os.name", ""), env, Path.of(System.getProperty("user.home", ".")));
        try {
            history = BridgeSettings.decryptionHistory(keepDecryptionKeys, file);
        } catch (IllegalArgumentException | IOException e) {
            throw new UsageException(messages.get("usage.keepDecryptionKeys"));
        }
    }

    @Override
    ExitCode execute(Card card, PinInput pins, RaClient ra, Output output) throws Exception {
        KeySpec spec = key == null ? null : KeySpec.ofCliName(key).orElseThrow();
        RenewalOutcome outcome = new RenewalFlow(ra, output.progress(), history).renew(card, pins, spec);
        if (outcome.result() == RenewalOutcome.Result.NOT_RENEWABLE) {
            output.say(
                    "renew.notRenewable",
                    outcome.status().status(),
                    output.messages().get("status." + outcome.status().status()));
            if (outcome.status().renewalWindowOpens() != null) {
                output.say("status.window", Output.instant(outcome.status().renewalWindowOpens()));
            }
        } else {
            if (outcome.previousRenewalClosed()) {
                output.say("renew.previousRenewalClosed");
            }
            if (outcome.resumed()) {
                output.say("renew.resumed");
            }
            output.say("renew.done", Output.instant(outcome.notBefore()), Output.instant(outcome.notAfter()));
            if (outcome.previousNotAfter() != null) {
                output.say("renew.previous", Output.instant(outcome.previousNotAfter()));
            }
        }
        if (output.json()) {
            // The same shape as the bridge's session result, which the renewal page reads.
            output.object(RenewalReport.of(outcome));
        }
        return outcome.result() == RenewalOutcome.Result.RENEWED ? ExitCode.OK : ExitCode.NOT_RENEWABLE;
    }
}
