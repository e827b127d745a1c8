package org.cardrenew.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.cardrenew.protocol.ApiError;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.servlet.LocaleResolver;
import tools.jackson.databind.json.JsonMapper;

/** Answers a missing or wrong admin token with ADMIN_UNAUTHORIZED and records the refusal. */
class AdminRefusal implements AuthenticationEntryPoint {

    private final HolderMessages messages;
    private final LocaleResolver locales;
    private final AuditLog audit;
    private final JsonMapper json = JsonMapper.builder().build();

    AdminRefusal(HolderMessages messages, LocaleResolver locales, AuditLog audit) {
        this.messages = messages;
        this.locales = locales;
        this.audit = audit;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException reason)
            throws IOException {
        boolean presented = RequestOrigin.bearer(request.getHeader(HttpHeaders.AUTHORIZATION)) != null;
        audit.record(AuditEvent.refused(
                        AuditEvent.ANONYMOUS,
                        AuditAction.ADMIN_REFUSED,
                        ErrorCode.ADMIN_UNAUTHORIZED.name(),
                        RequestOrigin.of(request))
                .detail((presented ? "wrong admin token for " : "no admin token for ") + request.getMethod() + " "
                        + request.getRequestURI()));
        ErrorCode code = ErrorCode.ADMIN_UNAUTHORIZED;
        response.setStatus(code.httpStatus());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        // RFC 6750 §3: tell the client which scheme is expected
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"cardrenew-admin\"");
        response.getOutputStream()
                .write(json.writeValueAsBytes(
                        new ApiError(code.name(), messages.error(code, locales.resolveLocale(request)))));
    }
}
