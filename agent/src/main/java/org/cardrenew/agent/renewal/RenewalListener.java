package org.cardrenew.agent.renewal;

import java.security.cert.X509Certificate;
import org.cardrenew.agent.card.KeyPurpose;

/**
 * Progress of a flow. The CLI prints it; tests throw from it to interrupt a flow at a chosen point
 * (an unchecked exception from any method aborts the flow where it stands, like a pulled card).
 */
public interface RenewalListener {

    /** Listens to nothing. */
    RenewalListener NONE = new RenewalListener() {};

    default void stepStarted(RenewalStep step) {}

    default void stepFinished(RenewalStep step) {}

    /**
     * Called right after each certificate is written to the card (signing first, then encryption): the
     * point between the first and the second write.
     */
    default void certificateWritten(KeyPurpose purpose, X509Certificate certificate) {}
}
