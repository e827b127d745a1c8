package org.cardrenew.server.cmp;

import org.cardrenew.protocol.ErrorCode;

/** A CMP request refused before or instead of the RA: answered with an error message carrying these bits. */
final class CmpRefusal extends RuntimeException {

    private final int failureBits;
    private final ErrorCode code;
    private final String serial;

    CmpRefusal(ErrorCode code, int failureBits, String detail) {
        this(code, failureBits, detail, null);
    }

    /** @param serial the card certificate the refusal is about (for the audit record), when the protection verified */
    CmpRefusal(ErrorCode code, int failureBits, String detail, String serial) {
        super(detail);
        this.code = code;
        this.failureBits = failureBits;
        this.serial = serial;
    }

    int failureBits() {
        return failureBits;
    }

    ErrorCode code() {
        return code;
    }

    String serial() {
        return serial;
    }
}
