package org.cardrenew.protocol;

/** The RA answered and refused: carries its stable code and the holder-facing message. */
public class RaRefusedException extends Exception {

    private final int httpStatus;
    private final ApiError error;

    public RaRefusedException(int httpStatus, ApiError error) {
        super(error.code() + ": " + error.message());
        this.httpStatus = httpStatus;
        this.error = error;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public ApiError error() {
        return error;
    }

    public String code() {
        return error.code();
    }
}
