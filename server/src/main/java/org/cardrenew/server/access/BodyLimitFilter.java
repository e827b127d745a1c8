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
import java.util.Locale;
import org.cardrenew.protocol.ApiError;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.web.HolderMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.LocaleResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounds every request body to what its endpoint can legitimately carry ({@link BodyLimitProperties}) and answers
 * more with 413 REQUEST_TOO_LARGE before the body is read: a declared Content-Length over the limit is refused at
 * once; a body without one (chunked) is read here up to the limit and refused as soon as it passes it, so no endpoint
 * ever holds more than its limit in memory. The connection is closed after a refusal: the rest of the body is never read.
 */
public class BodyLimitFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BodyLimitFilter.class);

    private final BodyLimitProperties limits;
    private final HolderMessages messages;
    private final LocaleResolver locales;
    private final JsonMapper json = JsonMapper.builder().build();

    public BodyLimitFilter(BodyLimitProperties limits, HolderMessages messages, LocaleResolver locales) {
        this.limits = limits;
        this.messages = messages;
        this.locales = locales;
    }

    /** The largest body the endpoint of this path accepts, on the path as routed ({@link LimitedPath#canonical}). */
    int limitOf(String rawPath) {
        String path = LimitedPath.canonical(rawPath);
        DataSize limit;
        if (path.equals("/ocsp") || path.startsWith("/ocsp/")) {
            limit = limits.ocsp();
        } else if (path.startsWith("/.well-known/est/")) {
            limit = limits.est();
        } else if (path.equals("/.well-known/cmp") || path.startsWith("/.well-known/cmp/")) {
            limit = limits.cmp();
        } else {
            limit = limits.other();
        }
        return Math.toIntExact(limit.toBytes());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // No body announced: neither a length nor a transfer coding (RFC 9112 §6.3).
        return request.getContentLengthLong() <= 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int limit = limitOf(
                request.getRequestURI().substring(request.getContextPath().length()));
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(request, response, limit, declared + " bytes declared");
            return;
        }
        if (declared >= 0 || isForm(request)) {
            // The container reads no more than Content-Length; forms are parsed by the container itself, bounded by
            // server.tomcat.max-http-form-post-size.
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(limit + 1);
        if (body.length > limit) {
            refuse(request, response, limit, "more than " + limit + " bytes sent without a length");
            return;
        }
        chain.doFilter(new ReadBody(request, body), response);
    }

    private static boolean isForm(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, int limit, String what)
            throws IOException {
        log.info(
                "refused {} {} from {}: {}, the limit is {}",
                request.getMethod(),
                request.getRequestURI(),
                request.getRemoteAddr(),
                what,
                limit);
        ErrorCode code = ErrorCode.REQUEST_TOO_LARGE;
        response.setStatus(code.httpStatus());
        // RFC 9110 §15.5.14: the server may close the connection to stop the client sending the rest.
        response.setHeader(HttpHeaders.CONNECTION, "close");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream()
                .write(json.writeValueAsBytes(
                        new ApiError(code.name(), messages.error(code, locales.resolveLocale(request)))));
        response.flushBuffer();
    }

    /** The request with its body, read here within the limit, handed on to the endpoint. */
    private static final class ReadBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
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
            String charset = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(
                    getInputStream(),
                    charset == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(charset)));
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
