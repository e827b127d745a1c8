package org.cardrenew.server.console;

import java.nio.file.Path;
import org.cardrenew.server.config.CardRenewProperties;
import org.cardrenew.server.config.GeneratedSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * At first start (no administrator yet) creates the console user {@code admin}: password from
 * {@code cardrenew.console.admin-password} or generated, TOTP key generated. The generated password and the TOTP
 * otpauth:// URI are written to owner-only files in the data directory; the log says only where they are (issue 13).
 */
@Component
public class BootstrapAdministrator {

    static final String NAME = "admin";
    static final String PASSWORD_FILE = "console-admin-password";
    static final String TOTP_FILE = "console-admin-totp";
    private static final Logger log = LoggerFactory.getLogger(BootstrapAdministrator.class);

    private final ConsoleUsers users;
    private final String configuredPassword;
    private final CardRenewProperties server;

    public BootstrapAdministrator(
            ConsoleUsers users,
            @Value("${cardrenew.console.admin-password:}") String password,
            CardRenewProperties server) {
        this.users = users;
        this.configuredPassword = password;
        this.server = server;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void createIfNone() {
        if (users.anyAdministrator()) {
            return;
        }
        try {
            NewConsoleUser admin = users.create(NAME, ConsoleRole.ADMINISTRATOR, configuredPassword, "bootstrap");
            Path totp = file(TOTP_FILE);
            GeneratedSecret.writeOwnerOnly(totp, admin.otpauthUri());
            String password = "as configured (cardrenew.console.admin-password)";
            if (configuredPassword.isBlank()) {
                Path file = file(PASSWORD_FILE);
                GeneratedSecret.writeOwnerOnly(file, admin.password());
                password = "in " + file;
            }
            log.info(
                    "console administrator '{}' created at {}: password {}, TOTP key (otpauth:// URI for an "
                            + "authenticator app) in {}; delete both files once they are in safe hands",
                    NAME,
                    server.publicUrl("/console"),
                    password,
                    totp);
        } catch (DuplicateKeyException anotherNode) {
            // another node created it first and wrote the files into its data directory
        }
    }

    private Path file(String name) {
        return server.dataDir().resolve(name).toAbsolutePath().normalize();
    }
}
