package org.cardrenew.server.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import org.cardrenew.protocol.ApiError;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.access.RateLimited;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.ra.RaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns every failure into an {@link ApiError}: refusals with their code, bad input as REQUEST_INVALID, never a trace. */
@RestControllerAdvice
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private final HolderMessages messages;
    private final AuditLog audit;

    public ApiErrors(HolderMessages messages, AuditLog audit) {
        this.messages = messages;
        this.audit = audit;
    }

    @ExceptionHandler(RaException.class)
    public ResponseEntity<ApiError> refused(RaException e) {
        if (e.code().httpStatus() >= 500) {
            log.error("{}: {}", e.code(), e.getMessage(), e);
        } else {
            log.info("refused {}: {}", e.code(), e.getMessage());
        }
        return body(HttpStatus.valueOf(e.code().httpStatus()), e.code());
    }

    /** Over a rate limit found while handling the request (the per-certificate limit of status checks). */
    @ExceptionHandler(RateLimited.class)
    public ResponseEntity<ApiError> rateLimited(RateLimited e) {
        ErrorCode code = ErrorCode.RATE_LIMITED;
        return ResponseEntity.status(code.httpStatus())
                .header(HttpHeaders.RETRY_AFTER, e.retryAfter())
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ApiError(code.name(), messages.error(code)));
    }

    /** Malformed JSON, a missing body, a field of the wrong type. */
    @ExceptionHandler({HttpMessageNotReadableException.class, TypeMismatchException.class})
    public ResponseEntity<ApiError> unreadable(Exception e, HttpServletRequest request) {
        log.info("unreadable request: {}", e.getMessage());
        audit.record(AuditEvent.refused(
                        AuditEvent.ANONYMOUS,
                        AuditAction.REQUEST_REFUSED,
                        ErrorCode.REQUEST_INVALID.name(),
                        RequestOrigin.of(request))
                .detail(request.getMethod() + " " + request.getRequestURI() + ": "
                        + e.getClass().getSimpleName()));
        return body(HttpStatus.BAD_REQUEST, ErrorCode.REQUEST_INVALID);
    }

    /** Spring MVC's own request errors (unknown path, wrong method or media type, missing header) keep their status. */
    @ExceptionHandler({ServletException.class, ErrorResponseException.class})
    public ResponseEntity<ApiError> mvc(Exception e, HttpServletRequest request) {
        if (!(e instanceof ErrorResponse response)) {
            return unexpected(e, request);
        }
        HttpStatusCode status = response.getStatusCode();
        return body(status.is5xxServerError() ? HttpStatus.BAD_REQUEST : status, ErrorCode.REQUEST_INVALID);
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ApiError> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected failure", e);
        try {
            audit.record(AuditEvent.error(
                            AuditEvent.ANONYMOUS,
                            AuditAction.REQUEST_FAILED,
                            ErrorCode.INTERNAL_ERROR.name(),
                            RequestOrigin.of(request))
                    .detail(request.getMethod() + " " + request.getRequestURI() + ": "
                            + e.getClass().getName()));
        } catch (RuntimeException auditFailed) {
            // the store itself may be what failed; the log line above still records it
            log.error("cannot audit the failure", auditFailed);
        }
        return body(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL_ERROR);
    }

    private ResponseEntity<ApiError> body(HttpStatusCode status, ErrorCode code) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ApiError(code.name(), messages.error(code)));
    }
}
