package org.cardrenew.agent.renewal;

import java.security.cert.X509Certificate;
import org.cardrenew.agent.card.KeyPurpose;
import org.cardrenew.protocol.StatusResponse;

/**
 * Progress of a flow. The CLI prints it; tests throw from it to interrupt a flow at a chosen point
 * (an unchecked exception from any method aborts the flow where it stands, like a pulled card).
 */
public interface RenewalListener {

    /** Listens to nothing. */
    RenewalListener NONE = new RenewalListener() {};

    default void stepStarted(RenewalStep step) {}

    default void stepFinished(RenewalStep step) {}

    /** The RA's status answer for the card's current signing certificate, before anything is changed. */
    default void statusReceived(StatusResponse status) {}

    /**
     * Called right after each certificate is written to the card (signing first, then encryption): the
     * point between the first and the second write.
     */
    default void certificateWritten(KeyPurpose purpose, X509Certificate certificate) {}

    /**
     * An old decryption key and its certificate were removed after a renewal because the card keeps at most
     * the holder's {@link DecryptionHistory#keep()} of them (never for any other reason).
     */
    default void decryptionKeyRemoved(X509Certificate certificate) {}
}
