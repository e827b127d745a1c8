package org.cardrenew.server.ra;

import org.cardrenew.protocol.ErrorCode;

/**
 * A card authentication refused by {@link CardAuthenticator}.
 *
 * @see #serial()
 * @see #possessionProven()
 */
public class CardRefusal extends RaException {

    private final String serial;
    private final boolean possessionProven;

    CardRefusal(ErrorCode code, String serial, boolean possessionProven, String detail) {
        super(code, detail);
        this.serial = serial;
        this.possessionProven = possessionProven;
    }

    /** The presented certificate's hex serial, or null when none could be read. */
    public String serial() {
        return serial;
    }

    /**
     * Whether the caller proved it holds the certificate's key (then the serial may name the audit actor); false when
     * the refusal came before or at the proof.
     */
    public boolean possessionProven() {
        return possessionProven;
    }
}
