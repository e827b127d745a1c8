package org.cardrenew.agent.card;

import java.security.PublicKey;

/**
 * A key pair generated on the card for a renewal or enrollment whose certificate is not written yet.
 * On the card it is a private key with an agent id ({@code sig-}/{@code enc-}) and no certificate of that
 * id, plus a token public key object of the same id that keeps the public key for resuming (PKCS#11 does
 * not give an EC public key back from the private key). The public key object is deleted on install.
 *
 * @param publicKey null when the public key object is gone (then only a matching certificate can bind it)
 */
public record PendingKey(ObjectId id, KeyPurpose purpose, PublicKey publicKey) implements CardKey {}
