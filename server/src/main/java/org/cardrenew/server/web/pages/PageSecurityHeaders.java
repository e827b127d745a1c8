package org.cardrenew.server.web.pages;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A strict Content-Security-Policy on the pages and their scripts and styles (not the Swagger UI): scripts and
 * styles from this origin only (no inline script, no eval), connections to this origin and the holder's card
 * bridge, no framing. Not on the API's answers under /api/: a policy governs a document a browser renders, and
 * JSON (or a PEM bundle) served with nosniff is never one; the header was 300 of every API answer's bytes.
 * Spring Security adds the rest (web/SecurityConfiguration): no-store caching, nosniff, X-Frame-Options, and
 * HSTS on HTTPS requests.
 */
@Component
public class PageSecurityHeaders extends OncePerRequestFilter {

    private final String policy;

    public PageSecurityHeaders(BridgeProperties bridge) {
        this.policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                + "connect-src 'self' " + bridge.origin() + "; object-src 'none'; base-uri 'none'; form-action 'self'; "
                + "frame-ancestors 'none'";
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/api/") || path.startsWith("/swagger-ui") || path.startsWith("/v3/api-docs");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", policy);
        response.setHeader("Referrer-Policy", "same-origin");
        chain.doFilter(request, response);
    }
}
