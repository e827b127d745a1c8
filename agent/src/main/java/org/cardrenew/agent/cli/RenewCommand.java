package org.cardrenew.agent.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.renewal.RenewalFlow;
import org.cardrenew.agent.renewal.RenewalOutcome;
import org.cardrenew.protocol.RaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cardrenew renew}: renews both certificates, or completes an interrupted renewal. */
@Command(name = "renew", mixinStandardHelpOptions = true,
        description = "Renew the card's signing and encryption certificates (resumes an interrupted renewal)")
final class RenewCommand extends CardCommand {

    @Option(names = "--key", paramLabel = "rsa2048|rsa3072|p256|p384",
            description = "Type of the new keys (default: the type of the current keys)")
    String key;

    RenewCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        super(out, err, env);
    }

    @Override
    void validate(Messages messages) throws UsageException {
        if (key != null && KeySpec.ofCliName(key).isEmpty()) {
            throw new UsageException(messages.get("usage.key"));
        }
    }

    @Override
    ExitCode execute(Card card, PinInput pins, RaClient ra, Output output) throws Exception {
        KeySpec spec = key == null ? null : KeySpec.ofCliName(key).orElseThrow();
        RenewalOutcome outcome = new RenewalFlow(ra, output.progress()).renew(card, pins, spec);
        Map<String, Object> fields = new LinkedHashMap<>();
        if (outcome.result() == RenewalOutcome.Result.NOT_RENEWABLE) {
            fields.put("result", "NOT_RENEWABLE");
            fields.put("status", outcome.status().status().name());
            fields.put("renewalWindowOpens", Output.instant(outcome.status().renewalWindowOpens()));
            fields.put("notAfter", Output.instant(outcome.status().notAfter()));
            fields.put("message", outcome.status().message());
            output.say("renew.notRenewable", outcome.status().status(),
                    output.messages().get("status." + outcome.status().status()));
            if (outcome.status().renewalWindowOpens() != null) {
                output.say("status.window", Output.instant(outcome.status().renewalWindowOpens()));
            }
        } else {
            fields.put("result", "RENEWED");
            fields.put("status", outcome.status().status().name());
            fields.put("resumed", outcome.resumed());
            fields.put("renewalId", outcome.renewalId());
            fields.put("notBefore", Output.instant(outcome.notBefore()));
            fields.put("notAfter", Output.instant(outcome.notAfter()));
            fields.put("previousNotAfter", Output.instant(outcome.previousNotAfter()));
            fields.put("signingCertificateSerial", Output.serial(outcome.signingCertificate()));
            fields.put("encryptionCertificateSerial", Output.serial(outcome.encryptionCertificate()));
            if (outcome.resumed()) {
                output.say("renew.resumed");
            }
            output.say("renew.done", Output.instant(outcome.notBefore()), Output.instant(outcome.notAfter()));
            if (outcome.previousNotAfter() != null) {
                output.say("renew.previous", Output.instant(outcome.previousNotAfter()));
            }
        }
        if (output.json()) {
            output.object(fields);
        }
        return outcome.result() == RenewalOutcome.Result.RENEWED ? ExitCode.OK : ExitCode.NOT_RENEWABLE;
    }
}
