package org.cardrenew.server.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The admin token from configuration, or generated at first start under {@code <data-dir>/admin-token}. */
@Configuration(proxyBeanMethods = false)
public class AdminTokenConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdminTokenConfiguration.class);

    static final String FILE_NAME = "admin-token";

    @Bean
    public AdminToken adminToken(AdminProperties admin, CardRenewProperties server) {
        return resolve(admin, server);
    }

    static AdminToken resolve(AdminProperties admin, CardRenewProperties server) {
        if (admin.token() != null && !admin.token().isBlank()) {
            return new AdminToken(admin.token());
        }
        GeneratedSecret secret = GeneratedSecret.readOrCreate(server.dataDir().resolve(FILE_NAME));
        if (secret.newlyCreated()) {
            // Where, never what (issue 13): a log is read and kept by more people than the data directory.
            log.info(
                    "admin token generated into {} (readable by this user only)",
                    server.dataDir().resolve(FILE_NAME).toAbsolutePath().normalize());
        }
        return new AdminToken(secret.value());
    }
}
