package org.cardrenew.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.cardrenew.server.CardRenewServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A first start with nothing configured (issue 13): the generated admin token, the bootstrap administrator's password
 * and TOTP otpauth:// URI are in owner-only files of a data directory created owner-only; the log says where, never what.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsStayOutOfTheLogTest {

    @TempDir
    Path parent;

    @Test
    void aFirstStartWritesEverySecretToAnOwnerOnlyFileAndLogsOnlyWhereItIs(CapturedOutput output) throws Exception {
        Path data = parent.resolve("data");
        // As command-line arguments: they win over application.properties. The log levels are set here because
        // Logback is set up once per JVM and another test's context may have lowered them.
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(CardRenewServer.class)
                .run(
                        "--server.port=0",
                        "--cardrenew.data-dir=" + data,
                        "--spring.datasource.url=jdbc:h2:mem:secrets-" + UUID.randomUUID()
                                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                        "--cardrenew.ca.keystore-password=test-ca-password",
                        "--cardrenew.ca.key-type=p256",
                        "--cardrenew.reminders.enabled=false",
                        "--logging.level.org.cardrenew.server.config=INFO",
                        "--logging.level.org.cardrenew.server.console=INFO")) {
            assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            String log = output.getAll();
            for (String name :
                    new String[] {"admin-token", "console-admin-password", "console-admin-totp", "totp-encryption-key"
                    }) {
                Path file = data.resolve(name);
                assertThat(Files.getPosixFilePermissions(file))
                        .as(name)
                        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
                String secret = Files.readString(file).trim();
                assertThat(secret).isNotBlank();
                assertThat(log).as(name).doesNotContain(secret);
            }
            String totp = Files.readString(data.resolve("console-admin-totp"));
            assertThat(totp).startsWith("otpauth://totp/CardRenew:admin?secret=");
            assertThat(log)
                    .doesNotContain(totp.replaceAll("(?s).*secret=([A-Z2-7]+).*", "$1"))
                    .contains("admin token generated into "
                            + data.resolve("admin-token").toAbsolutePath())
                    .contains("password in "
                            + data.resolve("console-admin-password").toAbsolutePath())
                    .contains("otpauth:// URI for an authenticator app) in "
                            + data.resolve("console-admin-totp").toAbsolutePath())
                    .contains("console administrator 'admin' created at http://localhost:8080/console");
        }
    }
}
