package org.cardrenew.server.console;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.AuditOutcome;
import org.cardrenew.server.audit.ClientAddress;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The console's own security chain, ahead of the API chain: form login with password and TOTP, a session cookie
 * (HttpOnly, SameSite=Strict from application.properties), CSRF on, and the role rules below.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurityConfiguration {

    /** The TOTP code typed on the login form beside name and password, and where the form came from. */
    record TotpDetails(String code, String address) {}

    @Bean
    @Order(1)
    public SecurityFilterChain consoleSecurityFilterChain(HttpSecurity http, ConsoleUsers users, AuditLog audit)
            throws Exception {
        AuthenticationProvider provider = new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication login) {
                TotpDetails details = login.getDetails() instanceof TotpDetails d ? d : new TotpDetails(null, null);
                ConsoleRole role = users.authenticate(login.getName(), String.valueOf(login.getCredentials()),
                        details.code()).orElse(null);
                ClientAddress from = details.address() == null ? ClientAddress.UNKNOWN
                        : new ClientAddress(details.address());
                if (role == null) {
                    audit.record(new AuditEvent(AuditEvent.ANONYMOUS, AuditAction.CONSOLE_SIGN_IN_REFUSED,
                            AuditOutcome.REFUSED, null, null, null, "console sign-in refused for " + login.getName(),
                            from));
                    throw new BadCredentialsException("name, password or code wrong");
                }
                audit.record(new AuditEvent(login.getName(), AuditAction.CONSOLE_SIGNED_IN, AuditOutcome.SUCCESS,
                        role.name(), null, null, null, from));
                return UsernamePasswordAuthenticationToken.authenticated(login.getName(), null,
                        List.of(new SimpleGrantedAuthority(role.authority())));
            }

            @Override
            public boolean supports(Class<?> type) {
                return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
            }
        };
        String administrator = ConsoleRole.ADMINISTRATOR.name();
        String officer = ConsoleRole.OFFICER.name();
        String auditor = ConsoleRole.AUDITOR.name();
        http.securityMatcher("/console", "/console/**")
                .authenticationManager(new ProviderManager(provider))
                .formLogin(form -> form.loginPage("/console/login").loginProcessingUrl("/console/login")
                        .authenticationDetailsSource((HttpServletRequest request) ->
                                new TotpDetails(request.getParameter("totp"), request.getRemoteAddr()))
                        .defaultSuccessUrl("/console", true)
                        .failureUrl("/console/login?error")
                        .permitAll())
                .logout(logout -> logout.logoutUrl("/console/logout").logoutSuccessUrl("/console/login?logout"))
                .httpBasic(basic -> basic.disable())
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/console/card-sign-in").permitAll()
                        // auditors are read-only: acting on a certificate is for officers and administrators
                        .requestMatchers(HttpMethod.POST, "/console/certificates/*/revocation",
                                "/console/reminders/*/resend")
                        .hasAnyRole(officer, administrator)
                        .requestMatchers("/console/enrollments", "/console/enrollments/**")
                        .hasAnyRole(officer, administrator)
                        .requestMatchers("/console/audit", "/console/audit.csv", "/console/audit/**").hasAnyRole(auditor, administrator)
                        .requestMatchers("/console/users", "/console/users/**", "/console/system").hasRole(administrator)
                        .requestMatchers("/console", "/console/**").hasAnyRole(officer, auditor, administrator));
        return http.build();
    }
}
