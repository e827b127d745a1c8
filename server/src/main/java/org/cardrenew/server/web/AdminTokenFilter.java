package org.cardrenew.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.cardrenew.server.config.AdminToken;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates admin API calls and metrics scrapes by the bearer token (constant-time comparison). Not a bean: lives in the security chain only. */
class AdminTokenFilter extends OncePerRequestFilter {

    static final String ROLE = "ADMIN";
    /** The metrics scrape needs the admin token too (issue 13); health stays open for probes. */
    static final String PROMETHEUS = "/actuator/prometheus";

    private final AdminToken token;

    AdminTokenFilter(AdminToken token) {
        this.token = token;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = RequestOrigin.bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (presented != null && token.matches(presented)) {
            SecurityContextHolder.getContext()
                    .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                            "admin", null, List.of(new SimpleGrantedAuthority("ROLE_" + ROLE))));
        }
        chain.doFilter(request, response);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/api/v1/admin/") && !path.startsWith(PROMETHEUS);
    }
}
