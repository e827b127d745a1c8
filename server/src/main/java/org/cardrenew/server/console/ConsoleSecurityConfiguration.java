package org.cardrenew.server.console;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Base64;
import java.util.List;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.config.CardRenewProperties;
import org.cardrenew.server.config.GeneratedSecret;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
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

    /** A refused password sign-in: an unauthenticated caller, so counted and logged but not chained (AuditLog). */
    private static AuditEvent refusal(String name, String code, ClientAddress from) {
        return AuditEvent.refused(AuditEvent.ANONYMOUS, AuditAction.CONSOLE_SIGN_IN_REFUSED, code, from)
                .detail("console sign-in refused for " + name);
    }

    /**
     * The key that seals TOTP keys at rest: {@code cardrenew.console.totp-encryption-key} (base64, 32 bytes; the same
     * on every node) or, unset, generated at first start into {@code <data-dir>/totp-encryption-key} (owner-only).
     */
    @Bean
    public TotpKeySeal totpKeySeal(
            CardRenewProperties server, @Value("${cardrenew.console.totp-encryption-key:}") String configured) {
        String key = configured.isBlank()
                ? GeneratedSecret.readOrCreate(server.dataDir().resolve("totp-encryption-key"))
                        .value()
                : configured.trim();
        return new TotpKeySeal(
                Base64.getMimeDecoder().decode(key.replace('-', '+').replace('_', '/')));
    }

    @Bean
    @Order(1)
    public SecurityFilterChain consoleSecurityFilterChain(HttpSecurity http, ConsoleUsers users, AuditLog audit)
            throws Exception {
        AuthenticationProvider provider = new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication login) {
                TotpDetails details = login.getDetails() instanceof TotpDetails d ? d : new TotpDetails(null, null);
                ClientAddress from =
                        details.address() == null ? ClientAddress.UNKNOWN : new ClientAddress(details.address());
                ConsoleRole role;
                try {
                    role = users.authenticate(
                                    login.getName(), String.valueOf(login.getCredentials()), details.code(), from)
                            .orElse(null);
                } catch (ConsoleAccountLocked locked) {
                    audit.record(refusal(login.getName(), "ACCOUNT_LOCKED", from));
                    throw new LockedException(locked.getMessage());
                }
                if (role == null) {
                    audit.record(refusal(login.getName(), null, from));
                    throw new BadCredentialsException("name, password or code wrong");
                }
                audit.record(AuditEvent.success(login.getName(), AuditAction.CONSOLE_SIGNED_IN, from)
                        .code(role.name()));
                return UsernamePasswordAuthenticationToken.authenticated(
                        login.getName(), null, List.of(new SimpleGrantedAuthority(role.authority())));
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
                .formLogin(form -> form.loginPage("/console/login")
                        .loginProcessingUrl("/console/login")
                        .authenticationDetailsSource((HttpServletRequest request) ->
                                new TotpDetails(request.getParameter("totp"), request.getRemoteAddr()))
                        .defaultSuccessUrl("/console", true)
                        // One answer for a wrong name, password or code and for a locked account (whose page says
                        // that accounts lock, without saying whether this one did): no answer tells which names
                        // exist or are locked (issue 13).
                        .failureHandler((request, response, e) ->
                                response.sendRedirect(request.getContextPath() + "/console/login?error"))
                        .permitAll())
                .logout(logout -> logout.logoutUrl("/console/logout").logoutSuccessUrl("/console/login?logout"))
                .httpBasic(basic -> basic.disable())
                .authorizeHttpRequests(auth -> auth
                        // the login page with any query (?error, ?logout): formLogin's permitAll matches exact URLs
                        .requestMatchers("/console/login", "/console/card-sign-in")
                        .permitAll()
                        // auditors are read-only: acting on a certificate is for officers and administrators
                        .requestMatchers(
                                HttpMethod.POST, "/console/certificates/*/revocation", "/console/reminders/*/resend")
                        .hasAnyRole(officer, administrator)
                        .requestMatchers("/console/enrollments", "/console/enrollments/**")
                        .hasAnyRole(officer, administrator)
                        .requestMatchers("/console/audit", "/console/audit.csv", "/console/audit/**")
                        .hasAnyRole(auditor, administrator)
                        .requestMatchers("/console/users", "/console/users/**", "/console/system", "/console/system/**")
                        .hasRole(administrator)
                        .requestMatchers("/console", "/console/**")
                        .hasAnyRole(officer, auditor, administrator));
        return http.build();
    }
}
