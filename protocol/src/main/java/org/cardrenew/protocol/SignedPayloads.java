package org.cardrenew.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The exact bytes a card signs. A distinct prefix per purpose keeps a signature made for one
 * purpose from being replayed as another (a status proof is never a confirmation, and an officer's console sign-in
 * proof never earns a renewal token). The server also binds each challenge to its purpose.
 */
public final class SignedPayloads {

    private SignedPayloads() {}

    /** What the current signing key signs to prove possession for a status request. */
    public static byte[] status(String nonce) {
        return ("CardRenew/v1 status\n" + nonce).getBytes(StandardCharsets.UTF_8);
    }

    /** What an officer's current signing key signs to sign in to the console with a console sign-in challenge. */
    public static byte[] consoleSignIn(String nonce) {
        return ("CardRenew/v1 console-sign-in\n" + nonce).getBytes(StandardCharsets.UTF_8);
    }

    /** What the NEW signing key signs to prove the new certificates are installed. */
    public static byte[] confirmation(String renewalId) {
        return ("CardRenew/v1 confirm\n" + renewalId).getBytes(StandardCharsets.UTF_8);
    }
}
