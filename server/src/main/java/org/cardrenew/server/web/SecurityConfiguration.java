package org.cardrenew.server.web;

import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.config.AdminToken;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The admin API needs the admin bearer token; the rest of /api/v1 is open because cards authenticate by signatures
 * and renewal tokens, never by cookies, so CSRF protection is off there (and only there).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    public SecurityFilterChain securityFilterChain(HttpSecurity http, AdminToken adminToken, HolderMessages messages,
            LocaleResolver locales, AuditLog audit) throws Exception {
        AdminRefusal refusal = new AdminRefusal(messages, locales, audit);
        http.csrf(csrf -> csrf.ignoringRequestMatchers("/api/v1/**"))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .addFilterBefore(new AdminTokenFilter(adminToken), UsernamePasswordAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(refusal))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/api/v1/admin/**").hasRole(AdminTokenFilter.ROLE)
                        .requestMatchers("/api/v1/**").permitAll()
                        .requestMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus").permitAll()
                        .requestMatchers("/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
                        .requestMatchers("/actuator/**").denyAll()
                        .anyRequest().permitAll());
        return http.build();
    }
}
