package org.cardrenew.ca;

/**
 * The CA could not be opened or created: the message says what is wrong and what to check, so a start-up
 * failure reads as a configuration error, not as a stack trace.
 */
public class CaUnavailableException extends RuntimeException {

    /** What went wrong, for callers that react differently (exit codes, health checks). */
    public enum Problem {
        /** A required setting (password, PIN) is missing or empty. */
        CONFIGURATION_INVALID,
        /** The PKCS#12 password does not open the keystore. */
        KEYSTORE_PASSWORD_WRONG,
        /** The PKCS#12 file cannot be read, parsed or written. */
        KEYSTORE_UNREADABLE,
        /** The PKCS#11 library cannot be loaded or initialised. */
        HSM_LIBRARY_UNUSABLE,
        /** No token with the configured label is present. */
        TOKEN_NOT_FOUND,
        /** The token refused the PIN. */
        TOKEN_PIN_WRONG,
        /** The token's user PIN is locked. */
        TOKEN_PIN_LOCKED,
        /** The keystore holds a partial or inconsistent CA (issuing CA without root, foreign key type). */
        CA_INVALID
    }

    private final Problem problem;

    public CaUnavailableException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public CaUnavailableException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
