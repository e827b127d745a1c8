package org.cardrenew.protocol;

import java.io.IOException;

/** The RA could not be reached or did not answer in its protocol (network error, proxy page, timeout). */
public class RaUnreachableException extends IOException {

    public RaUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
