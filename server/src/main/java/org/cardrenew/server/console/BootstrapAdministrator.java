package org.cardrenew.server.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * At first start (no administrator yet) creates the console user {@code admin}: password from
 * {@code cardrenew.console.admin-password} or generated, TOTP key generated; both printed once, here only.
 */
@Component
public class BootstrapAdministrator {

    static final String NAME = "admin";
    private static final Logger log = LoggerFactory.getLogger(BootstrapAdministrator.class);

    private final ConsoleUsers users;
    private final String configuredPassword;

    public BootstrapAdministrator(ConsoleUsers users, @Value("${cardrenew.console.admin-password:}") String password) {
        this.users = users;
        this.configuredPassword = password;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void createIfNone() {
        if (users.anyAdministrator()) {
            return;
        }
        try {
            NewConsoleUser admin = users.create(NAME, ConsoleRole.ADMINISTRATOR, configuredPassword, "bootstrap");
            if (configuredPassword.isBlank()) {
                log.info("console administrator '{}' password: {}", NAME, admin.password());
            }
            log.info("console administrator '{}' TOTP (add to an authenticator app): {}", NAME, admin.otpauthUri());
        } catch (DuplicateKeyException anotherNode) {
            // another node created it first and printed its secrets
        }
    }
}
