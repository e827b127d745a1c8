package org.cardrenew.agent.card;

import java.security.PublicKey;

/** A private key on the card, named by its CKA_ID, with the public key it signs for. */
public interface CardKey {

    ObjectId id();

    PublicKey publicKey();
}
