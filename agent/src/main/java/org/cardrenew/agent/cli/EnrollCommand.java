package org.cardrenew.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.cardrenew.agent.card.Card;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.agent.renewal.Enrollment;
import org.cardrenew.agent.renewal.EnrollmentFlow;
import org.cardrenew.protocol.RaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cardrenew enroll} (admin): makes a new card, two key pairs on it and their certificates. */
@Command(
        name = "enroll",
        mixinStandardHelpOptions = true,
        description = "Enroll a new card (admin): generate both key pairs on the card and write their certificates")
final class EnrollCommand extends CardCommand {

    @Option(
            names = "--admin-token-env",
            paramLabel = "VAR",
            description = "Environment variable holding the admin API token")
    String adminTokenEnv;

    @Option(names = "--admin-token-file", paramLabel = "FILE", description = "File holding the admin API token")
    Path adminTokenFile;

    @Option(names = "--holder-id", required = true, description = "The holder's identity number (SERIALNUMBER)")
    String holderId;

    @Option(names = "--name", required = true, description = "The holder's name (CN)")
    String name;

    @Option(names = "--org", required = true, description = "The holder's agency (O)")
    String organization;

    @Option(names = "--email", description = "Where expiry reminders go")
    String email;

    @Option(
            names = "--not-before",
            paramLabel = "INSTANT",
            description = "Explicit validity start (ISO-8601), where the server allows it")
    Instant notBefore;

    @Option(
            names = "--not-after",
            paramLabel = "INSTANT",
            description = "Explicit validity end (ISO-8601), where the server allows it")
    Instant notAfter;

    @Option(
            names = "--key",
            paramLabel = "rsa2048|rsa3072|p256|p384",
            defaultValue = "rsa2048",
            description = "Type of the keys (default rsa2048)")
    String key;

    private String adminToken;

    EnrollCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        super(out, err, env);
    }

    @Override
    void validate(Messages messages) throws UsageException {
        if (KeySpec.ofCliName(key).isEmpty()) {
            throw new UsageException(messages.get("usage.key"));
        }
        if ((adminTokenEnv == null) == (adminTokenFile == null)) {
            throw new UsageException(messages.get("usage.adminToken"));
        }
        if (adminTokenEnv != null) {
            adminToken = env.get(adminTokenEnv);
            if (adminToken == null || adminToken.isBlank()) {
                throw new UsageException(messages.get("usage.adminTokenEmpty", adminTokenEnv));
            }
        } else {
            try {
                adminToken =
                        Files.readString(adminTokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UsageException(messages.get("usage.adminTokenEmpty", adminTokenFile));
            }
            if (adminToken.isEmpty()) {
                throw new UsageException(messages.get("usage.adminTokenEmpty", adminTokenFile));
            }
        }
        adminToken = adminToken.strip();
    }

    @Override
    ExitCode execute(Card card, PinInput pins, RaClient ra, Output output) throws Exception {
        // --lang is both the holder's preferred language and the language of these messages.
        Enrollment holder = new Enrollment(holderId, name, organization, email, options.language, notBefore, notAfter);
        EnrollmentFlow.Enrolled enrolled = new EnrollmentFlow(ra, output.progress())
                .enroll(card, pins, holder, adminToken, KeySpec.ofCliName(key).orElseThrow());
        Instant from = enrolled.signingCertificate().getNotBefore().toInstant();
        Instant to = enrolled.signingCertificate().getNotAfter().toInstant();
        if (output.json()) {
            output.object(new Enrolled(
                    "ENROLLED",
                    holderId,
                    from,
                    to,
                    Output.serial(enrolled.signingCertificate()),
                    Output.serial(enrolled.encryptionCertificate())));
        } else {
            output.say("enroll.done", holderId, Output.instant(from), Output.instant(to));
        }
        return ExitCode.OK;
    }

    /** {@code --json}: the new card's holder, validity and certificate serials. */
    record Enrolled(
            String result,
            String holderId,
            Instant notBefore,
            Instant notAfter,
            String signingCertificateSerial,
            String encryptionCertificateSerial) {}
}
