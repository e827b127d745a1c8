package org.cardrenew.e2e;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cardrenew.agent.cli.CardRenewCommand;
import org.cardrenew.testkit.Token;

/** Runs {@code cardrenew} in this JVM, exactly as bin/cardrenew would, against one card and one server. */
final class Cli {

    private final String server;
    private final Token token;

    Cli(String server, Token token) {
        this.server = server;
        this.token = token;
    }

    /** A finished command line: exit code and what it printed. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    Run status(String... extra) {
        return run("status", extra);
    }

    Run renew(String... extra) {
        return run("renew", extra);
    }

    Run run(String command, String... extra) {
        return runWithPin(command, token.userPin(), extra);
    }

    Run runWithPin(String command, String pin, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                command,
                "--server",
                server,
                "--module",
                token.library(),
                "--token",
                token.label(),
                "--pin-env",
                "CARD_PIN"));
        args.addAll(List.of(extra));
        Map<String, String> env = new HashMap<>();
        env.put("CARD_PIN", pin);
        env.put("ADMIN_TOKEN", ServerUnderTest.ADMIN_TOKEN);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CardRenewCommand.run(
                args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Enrolls the card through the admin API with explicit validity (the demo profile's path). */
    Run enroll(
            String holderId,
            String name,
            String key,
            java.time.Instant notBefore,
            java.time.Instant notAfter,
            String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--admin-token-env",
                "ADMIN_TOKEN",
                "--holder-id",
                holderId,
                "--name",
                name,
                "--org",
                "數位發展部",
                "--email",
                holderId.toLowerCase() + "@example.gov.tw",
                "--lang",
                "zh-TW",
                "--key",
                key,
                "--not-before",
                notBefore.toString(),
                "--not-after",
                notAfter.toString(),
                "--json"));
        args.addAll(List.of(extra));
        return run("enroll", args.toArray(String[]::new));
    }
}
