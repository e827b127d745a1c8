package org.cardrenew.server.cmp;

import org.cardrenew.protocol.ErrorCode;

/** A CMP request refused before or instead of the RA: answered with an error message carrying these bits. */
final class CmpRefusal extends RuntimeException {

    private final int failureBits;
    private final ErrorCode code;

    CmpRefusal(ErrorCode code, int failureBits, String detail) {
        super(detail);
        this.code = code;
        this.failureBits = failureBits;
    }

    int failureBits() {
        return failureBits;
    }

    ErrorCode code() {
        return code;
    }
}
