package org.cardrenew.server.ra;

import org.cardrenew.protocol.StatusRequest;

/** A card's proof of possession: its signing certificate and its signature over a one-time challenge (base64). */
public record SignedChallenge(String challengeId, String certificate, String signature, String signatureAlgorithm) {

    /** The proof a status request (or a console sign-in, which posts the same fields) carries; null for none. */
    public static SignedChallenge of(StatusRequest request) {
        return request == null
                ? null
                : new SignedChallenge(
                        request.challengeId(),
                        request.certificate(),
                        request.signature(),
                        request.signatureAlgorithm());
    }

    boolean complete() {
        return challengeId != null && certificate != null && signature != null && signatureAlgorithm != null;
    }
}
