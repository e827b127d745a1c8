package org.cardrenew.agent.cli;

/**
 * The exit codes of {@code cardrenew}: scripts of agencies rely on them. Add, never renumber.
 * The output always names the status or the reason as well.
 */
public enum ExitCode {
    /** status: RENEWABLE or RENEWAL_IN_PROGRESS; renew: renewed (or an interrupted renewal completed); enroll: enrolled. */
    OK(0),
    /** Anything not foreseen; the message says what. */
    UNEXPECTED(1),
    /** Bad or missing options, no PIN source (no terminal, empty --pin-env, unreadable --pin-file). */
    USAGE(2),
    /** NOT_YET_RENEWABLE, EXPIRED, REVOKED, UNKNOWN or ALREADY_RENEWED: the output names the status. Nothing changed. */
    NOT_RENEWABLE(3),
    /** The card refused the PIN (the output says when the card warns of few tries left). Never retried. */
    WRONG_PIN(4),
    /** The PIN is locked: only the card issuer can unblock it. */
    PIN_LOCKED(5),
    /** No PKCS#11 library at --module, no card labelled --token, no card present, or the card was removed. */
    NO_TOKEN(6),
    /** The server refused a request: the output names its code (e.g. CSR_SUBJECT_MISMATCH). */
    REFUSED(7),
    /** The server could not be reached or did not answer in its protocol. Run again to resume. */
    NETWORK(8),
    /** The card failed, or its contents do not fit (no signing certificate, not empty for enroll, keys not matching). */
    CARD_ERROR(9),
    /**
     * The server's TLS certificate could not be verified (unknown issuer, expired, another host name, no TLS
     * agreement). Nothing on the card was touched; running again cannot help: the desktop team installs the
     * agency's root (or gives it with --ca-file). The output names the presented chain.
     */
    SERVER_NOT_TRUSTED(10),
    /**
     * The card has no room for the new keys or certificates. Nothing was lost: the current pair is intact and
     * the renewal resumes once the holder removed an old decryption key ({@code cardrenew history remove}).
     */
    CARD_FULL(11),
    /**
     * Another CardRenew program (the browser's card component, another {@code cardrenew}) is using the card. Nothing
     * was done on it; run again once the other program is done.
     */
    CARD_BUSY(12);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
