package org.cardrenew.agent.renewal;

/** The card's contents do not allow the flow to go on; nothing further was changed on the card. */
public class RenewalException extends Exception {

    /** What is wrong. */
    public enum Reason {
        /** No signing certificate with its private key on the card. */
        NO_CERTIFICATE,
        /** Enrollment needs a card without holder certificates. */
        CARD_NOT_EMPTY,
        /** The server has a renewal in progress but the card does not hold its keys. */
        CANNOT_RESUME,
        /** An issued certificate does not certify any key on this card. */
        CERTIFICATE_MISMATCH,
        /** The server's answer lacks or garbles a certificate. */
        BAD_ANSWER,
        /** The holder named an old decryption key the card does not keep. */
        NO_SUCH_HISTORY_KEY
    }

    private final Reason reason;

    public RenewalException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
