package org.cardrenew.protocol;

/**
 * Stable machine codes of RA refusals. Scripts rely on these names: add, never rename.
 * Each has an HTTP status; the holder-facing wording lives in the server's message bundles.
 */
public enum ErrorCode {
    REQUEST_INVALID(400),
    CHALLENGE_UNKNOWN(400),
    CHALLENGE_EXPIRED(400),
    CHALLENGE_USED(400),
    SIGNATURE_ALGORITHM_UNSUPPORTED(400),
    SIGNATURE_INVALID(401),
    CERTIFICATE_MALFORMED(400),
    CERTIFICATE_UNKNOWN(403),
    CERTIFICATE_EXPIRED(403),
    CERTIFICATE_REVOKED(403),
    NOT_YET_RENEWABLE(403),
    ALREADY_RENEWED(409),
    RENEWAL_TOKEN_INVALID(401),
    RENEWAL_IN_PROGRESS(409),
    RENEWAL_NOT_FOUND(404),
    CSR_MALFORMED(400),
    CSR_SIGNATURE_INVALID(400),
    CSR_SUBJECT_MISMATCH(400),
    KEY_TYPE_UNSUPPORTED(400),
    KEY_NOT_NEW(400),
    KEYS_IDENTICAL(400),
    CONFIRMATION_INVALID(400),
    ADMIN_UNAUTHORIZED(401),
    HOLDER_INVALID(400),
    EXPLICIT_VALIDITY_NOT_ALLOWED(403),
    VALIDITY_INVALID(400),
    CA_UNAVAILABLE(503),
    INTERNAL_ERROR(500),
    /** Too many challenges or status checks from one client address or for one certificate; see Retry-After. */
    RATE_LIMITED(429),
    /**
     * The renewal was issued but not confirmed within the server's confirm-within period: it is closed and its new
     * certificates are revoked. Discard its keys and start a fresh renewal (possible while the old pair is valid).
     */
    RENEWAL_EXPIRED(410),
    /** The card's certificate is not valid yet (its notBefore is after the server's clock). */
    CERTIFICATE_NOT_YET_VALID(403),
    /** The request body is larger than the endpoint accepts (issue 13); nothing of it was kept. */
    REQUEST_TOO_LARGE(413);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
