package org.cardrenew.server.store;

import java.time.Instant;
import org.cardrenew.protocol.RenewalState;

/**
 * A persisted renewal of one card pair; see docs/RENEWAL-CYCLE.md.
 *
 * @param signingKey    DER SubjectPublicKeyInfo of the new signing key (compared by content, like the whole record)
 * @param encryptionKey DER SubjectPublicKeyInfo of the new encryption key
 * @param newPair       the issued pair, null while {@code REQUESTED}
 */
public record Renewal(
        RenewalId id,
        PairId oldPair,
        RenewalState state,
        KeyHash signingKeyHash,
        KeyHash encryptionKeyHash,
        Der signingKey,
        Der encryptionKey,
        PairId newPair,
        Instant requestedAt,
        Instant issuedAt,
        Instant completedAt) {

    /** Whether this renewal is for exactly these two new keys (idempotency is by public key). */
    public boolean hasKeys(KeyHash signing, KeyHash encryption) {
        return signingKeyHash.equals(signing) && encryptionKeyHash.equals(encryption);
    }

    /**
     * This abandoned REQUESTED renewal as {@link RenewalRepository#takeOver} leaves it, given the same {@code at} in
     * whole microseconds.
     */
    public Renewal takenOver(
            KeyHash newSigningKeyHash,
            KeyHash newEncryptionKeyHash,
            Der newSigningKey,
            Der newEncryptionKey,
            Instant at) {
        return new Renewal(
                id,
                oldPair,
                state,
                newSigningKeyHash,
                newEncryptionKeyHash,
                newSigningKey,
                newEncryptionKey,
                newPair,
                at,
                issuedAt,
                completedAt);
    }

    /**
     * This renewal as {@link RenewalRepository#markIssued} leaves it, given the same {@code at} in whole microseconds
     * (the databases keep microseconds and round finer instants).
     */
    public Renewal issued(PairId to, Instant at) {
        return new Renewal(
                id,
                oldPair,
                RenewalState.ISSUED,
                signingKeyHash,
                encryptionKeyHash,
                signingKey,
                encryptionKey,
                to,
                requestedAt,
                at,
                completedAt);
    }

    /**
     * This renewal as {@link RenewalRepository#markCompleted} leaves it, given the same {@code at} in whole
     * microseconds.
     */
    public Renewal completed(Instant at) {
        return new Renewal(
                id,
                oldPair,
                RenewalState.COMPLETED,
                signingKeyHash,
                encryptionKeyHash,
                signingKey,
                encryptionKey,
                newPair,
                requestedAt,
                issuedAt,
                at);
    }

    /** Still to be issued or confirmed: neither completed nor closed unconfirmed. */
    public boolean open() {
        return state == RenewalState.REQUESTED || state == RenewalState.ISSUED;
    }
}
