package org.cardrenew.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cardrenew agent} refuses to start without a card library or an allowed origin. */
class AgentCommandTest {

    private int run(ByteArrayOutputStream err, String... args) {
        return CardRenewCommand.run(
                args,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
    }

    @Test
    void withoutAnAllowedOriginTheAgentDoesNotStart(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(
                err,
                "agent",
                "--module",
                "/usr/lib/softhsm/libsofthsm2.so",
                "--config",
                dir.resolve("none").toString());
        assertThat(code).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--allow-origin");
    }

    @Test
    void anAllowedOriginMustBeAnOrigin(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(
                err,
                "agent",
                "--module",
                "lib.so",
                "--allow-origin",
                "https://renew.example.gov.tw/path",
                "--config",
                dir.resolve("none").toString());
        assertThat(code).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not an http(s) origin");
    }

    @Test
    void theHelpNamesTheDefaultPortAndTheConfigurationFiles() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CardRenewCommand.run(
                new String[] {"agent", "--help"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Map.of());
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("47811", "%APPDATA%\\CardRenew\\agent.properties", "Application Support/CardRenew");
    }
}
