package org.cardrenew.server.store;

import java.time.Instant;
import org.cardrenew.protocol.RenewalState;

/**
 * A persisted renewal of one card pair; see docs/RENEWAL-CYCLE.md.
 *
 * @param signingKey    DER SubjectPublicKeyInfo of the new signing key
 * @param encryptionKey DER SubjectPublicKeyInfo of the new encryption key
 * @param newPair       the issued pair, null while {@code REQUESTED}
 */
public record Renewal(
        RenewalId id,
        PairId oldPair,
        RenewalState state,
        KeyHash signingKeyHash,
        KeyHash encryptionKeyHash,
        byte[] signingKey,
        byte[] encryptionKey,
        PairId newPair,
        Instant requestedAt,
        Instant issuedAt,
        Instant completedAt) {

    /** Whether this renewal is for exactly these two new keys (idempotency is by public key). */
    public boolean hasKeys(KeyHash signing, KeyHash encryption) {
        return signingKeyHash.equals(signing) && encryptionKeyHash.equals(encryption);
    }

    /**
     * This renewal as {@link RenewalRepository#markIssued} leaves it, given the same {@code at} in whole microseconds
     * (the databases keep microseconds and round finer instants).
     */
    public Renewal issued(PairId to, Instant at) {
        return new Renewal(id, oldPair, RenewalState.ISSUED, signingKeyHash, encryptionKeyHash, signingKey, encryptionKey,
                to, requestedAt, at, completedAt);
    }

    public boolean open() {
        return state != RenewalState.COMPLETED;
    }
}
