package org.cardrenew.server.ra;

import org.cardrenew.protocol.ErrorCode;

/** A refusal with its stable API code; the detail is for the audit log and server log, never for the client. */
public class RaException extends RuntimeException {

    private final ErrorCode code;

    public RaException(ErrorCode code, String detail) {
        super(detail);
        this.code = code;
    }

    public RaException(ErrorCode code, String detail, Throwable cause) {
        super(detail, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
