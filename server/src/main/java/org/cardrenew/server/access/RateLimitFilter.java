package org.cardrenew.server.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.cardrenew.protocol.ApiError;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.web.HolderMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.LocaleResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses requests to the anonymous endpoints beyond their per-address limits with 429 RATE_LIMITED and Retry-After
 * (RFC 9110 §10.2.3), on the path as routed ({@link LimitedPath}). The per-certificate limit of status checks is taken
 * where the request is parsed ({@link CertificateLimit}). Not audited: writing an audit record per refused request
 * would let a flood grow the audit trail at will.
 */
public class RateLimitFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    private final RateLimits limits;
    private final TrustedProxies proxies;
    private final HolderMessages messages;
    private final LocaleResolver locales;
    private final JsonMapper json = JsonMapper.builder().build();

    public RateLimitFilter(RateLimits limits, TrustedProxies proxies, HolderMessages messages, LocaleResolver locales) {
        this.limits = limits;
        this.proxies = proxies;
        this.messages = messages;
        this.locales = locales;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return LimitedPath.of(request) == LimitedPath.NONE;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = proxies.clientAddress(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
        RateLimits.Limit limit = switch (LimitedPath.of(request)) {
            case SIGN_IN -> RateLimits.Limit.SIGN_IN;
            case REVOCATION -> RateLimits.Limit.REVOCATION;
            default -> RateLimits.Limit.ADDRESS;
        };
        Duration wait = limits.take(limit, String.valueOf(client));
        if (!wait.isZero()) {
            log.debug("rate limited {} {} from {}", request.getMethod(), request.getRequestURI(), client);
            refuse(request, response, wait);
            return;
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Duration wait) throws IOException {
        ErrorCode code = ErrorCode.RATE_LIMITED;
        response.setStatus(code.httpStatus());
        response.setHeader(HttpHeaders.RETRY_AFTER, RateLimited.retryAfter(wait));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream()
                .write(json.writeValueAsBytes(
                        new ApiError(code.name(), messages.error(code, locales.resolveLocale(request)))));
    }
}
