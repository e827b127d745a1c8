package org.cardrenew.server.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.cardrenew.protocol.ApiError;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.web.HolderMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.LocaleResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses challenges and status checks beyond the limits with 429 RATE_LIMITED and Retry-After (RFC 9110 §10.2.3).
 * Not audited: writing an audit record per refused request would let a flood lock the audit chain head.
 */
public class RateLimitFilter extends OncePerRequestFilter {

    /** A status request is a challenge id, a certificate and a signature: far below this. */
    static final int MAX_STATUS_BODY = 64 * 1024;

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

    /** Challenges and status checks, and the console sign-ins (password + TOTP guessing, card sign-in). */
    private static final java.util.Set<String> LIMITED = java.util.Set.of(ApiPaths.CHALLENGES, ApiPaths.STATUS,
            "/console/login", "/console/card-sign-in");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !"POST".equals(request.getMethod()) || !LIMITED.contains(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = proxies.clientAddress(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
        Duration wait = limits.take(RateLimits.Limit.ADDRESS, String.valueOf(client));
        HttpServletRequest forward = request;
        if (wait.isZero() && request.getRequestURI().endsWith(ApiPaths.STATUS)) {
            byte[] body = request.getInputStream().readNBytes(MAX_STATUS_BODY + 1);
            forward = new ReplayedBody(request, body);
            String certificate = body.length > MAX_STATUS_BODY ? null : certificateKey(body);
            if (certificate != null) {
                wait = limits.take(RateLimits.Limit.CERTIFICATE, certificate);
            }
        }
        if (!wait.isZero()) {
            log.debug("rate limited {} {} from {}", request.getMethod(), request.getRequestURI(), client);
            refuse(request, response, wait);
            return;
        }
        chain.doFilter(forward, response);
    }

    /** SHA-256 of the certificate's DER, so base64 or PEM spellings of one certificate share one bucket. */
    private String certificateKey(byte[] body) {
        try {
            JsonNode field = json.readTree(body).path("certificate");
            if (!field.isString()) {
                return null;
            }
            String base64 = field.asString().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyHash.sha256Hex(Base64.getDecoder().decode(base64));
        } catch (JacksonException | IllegalArgumentException unreadable) {
            return null; // the RA refuses it with REQUEST_INVALID or CERTIFICATE_MALFORMED; the address limit applies
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Duration wait) throws IOException {
        ErrorCode code = ErrorCode.RATE_LIMITED;
        response.setStatus(code.httpStatus());
        response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, (wait.toMillis() + 999) / 1000)));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json.writeValueAsBytes(
                new ApiError(code.name(), messages.error(code, locales.resolveLocale(request)))));
    }

    /** The request with its body read once here and replayed to the controller. */
    private static final class ReplayedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReplayedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
