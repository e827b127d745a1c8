package org.cardrenew.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.config.AdminToken;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.XXssProtectionHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The admin API needs the admin bearer token; the rest of /api/v1 is open because cards authenticate by signatures
 * and renewal tokens, never by cookies, so CSRF protection is off there (and only there).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /**
     * No Spring Security observations at all. The property management.observations.enable.spring.security=false only
     * made each of them a no-op: the filter chain was still wrapped filter by filter (ObservationFilterChainDecorator)
     * and the authorization manager too, 4-11% of the request threads' samples in the benchmark (docs/BENCHMARKS.md).
     * With this bean Spring Security builds the plain chain. Requests are still timed (http_server_requests_seconds).
     */
    @Bean
    static SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    public SecurityFilterChain securityFilterChain(
            HttpSecurity http, AdminToken adminToken, HolderMessages messages, LocaleResolver locales, AuditLog audit)
            throws Exception {
        AdminRefusal refusal = new AdminRefusal(messages, locales, audit);
        http.csrf(csrf -> csrf.ignoringRequestMatchers("/api/v1/**"))
                .headers(SecurityConfiguration::headers)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .addFilterBefore(new AdminTokenFilter(adminToken), UsernamePasswordAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(refusal))
                .authorizeHttpRequests(auth -> auth.requestMatchers("/api/v1/admin/**")
                        .hasRole(AdminTokenFilter.ROLE)
                        .requestMatchers("/api/v1/**")
                        .permitAll()
                        // metrics tell an outsider too much (load, refusals by code): the admin token, like the admin
                        // API
                        .requestMatchers("/actuator/prometheus")
                        .hasRole(AdminTokenFilter.ROLE)
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                        .permitAll()
                        .requestMatchers("/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/actuator/**")
                        .denyAll()
                        .anyRequest()
                        .permitAll());
        return http.build();
    }

    /**
     * What each answer needs. Everywhere: nosniff, and HSTS on HTTPS requests. Pages (and their scripts, styles,
     * the Swagger UI): Spring Security's cache headers (Cache-Control, Pragma, Expires), X-Frame-Options and
     * X-XSS-Protection as before. API answers (JSON, read by the agent, the bench and a page's fetch, never rendered
     * or framed): only "Cache-Control: no-store", because they carry renewal tokens and certificates, unless the
     * endpoint chose its own caching. Pragma and Expires are for HTTP/1.0 caches, which read Cache-Control too since
     * RFC 7234 (RFC 9111 §5.4: Pragma is deprecated); framing and XSS filtering concern documents. That leaves
     * about 150 bytes fewer on each API answer (docs/BENCHMARKS.md, "Bytes per call").
     */
    private static void headers(HeadersConfigurer<HttpSecurity> headers) {
        RequestMatcher api = PathPatternRequestMatcher.withDefaults().matcher("/api/**");
        RequestMatcher notApi = new NegatedRequestMatcher(api);
        headers.defaultsDisabled()
                .contentTypeOptions(Customizer.withDefaults())
                .httpStrictTransportSecurity(Customizer.withDefaults())
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(notApi, new CacheControlHeadersWriter()))
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                        notApi, new XFrameOptionsHeaderWriter(XFrameOptionsHeaderWriter.XFrameOptionsMode.DENY)))
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(notApi, new XXssProtectionHeaderWriter()))
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(api, SecurityConfiguration::noStore));
    }

    private static void noStore(HttpServletRequest request, HttpServletResponse response) {
        if (!response.containsHeader(HttpHeaders.CACHE_CONTROL)) {
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }
}
