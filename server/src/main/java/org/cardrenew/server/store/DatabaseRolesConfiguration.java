package org.cardrenew.server.store;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Two database roles (docs/OPERATIONS.md, docs/AUDIT.md): Flyway migrates as {@code spring.flyway.user} (the owner),
 * the server runs as {@code spring.datasource.username} with the rights {@link ApplicationRoleGrants} gives it.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseRolesConfiguration {

    @Bean
    public ApplicationRoleGrants applicationRoleGrants(
            @Value("${spring.flyway.user:}") String migrationRole,
            @Value("${spring.datasource.username:}") String applicationRole) {
        boolean separate = !migrationRole.isBlank() && !migrationRole.equals(applicationRole);
        return new ApplicationRoleGrants(separate ? applicationRole : null);
    }
}
