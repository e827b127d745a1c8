package org.cardrenew.server.standards;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The standard protocol endpoints (OCSP, CRL, CMP, EST, renewal information) in a security chain of their own,
 * ahead of the main one: their clients authenticate inside the protocol (CMP message signatures, EST TLS client
 * certificates) or need none (OCSP, CRL), never by cookies, so CSRF protection does not apply.
 */
@Configuration(proxyBeanMethods = false)
public class StandardEndpointsSecurity {

    static final String[] PATHS = {
        "/ocsp", "/ocsp/**", "/crl/**", "/.well-known/cmp", "/.well-known/cmp/**", "/.well-known/est/**"
    };

    @Bean
    @Order(1)
    public SecurityFilterChain standardEndpointsFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher(PATHS)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }
}
