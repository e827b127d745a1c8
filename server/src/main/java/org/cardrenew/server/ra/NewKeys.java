package org.cardrenew.server.ra;

import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.RenewalRepository;
import org.springframework.stereotype.Component;

/**
 * The rule that a renewal's two keys are new and distinct: not the card's current keys, not any key this CA ever
 * certified or was asked to certify for another pair, and not one key used twice. The one place of {@code KEY_NOT_NEW}
 * and {@code KEYS_IDENTICAL} for renewals (claim, takeover) and enrolment.
 */
@Component
public class NewKeys {

    private final RenewalRepository renewals;
    private final CertificateRepository certificates;

    NewKeys(RenewalRepository renewals, CertificateRepository certificates) {
        this.renewals = renewals;
        this.certificates = certificates;
    }

    /**
     * Keys of a renewal of {@code old} must be new. One query for both keys; only when it finds one are they looked
     * at one by one, to name the field.
     */
    void requireNew(KeyHash signing, KeyHash encryption, CurrentPair old) {
        if (!renewals.eitherKeyUsedBefore(signing, encryption, old.pair().id())) {
            requireNotCurrent(signing, encryption, old);
            return;
        }
        requireNew(signing, old, "signing");
        requireNew(encryption, old, "encryption");
    }

    /**
     * The part of {@link #requireNew} that needs no database: neither key is one of the card's current keys. The claim
     * of a new renewal checks the rest in its own statement ({@link RenewalRepository#claim}).
     */
    void requireNotCurrent(KeyHash signing, KeyHash encryption, CurrentPair old) {
        requireNotCurrent(signing, old, "signing");
        requireNotCurrent(encryption, old, "encryption");
    }

    /**
     * The refusal, returned for the caller to throw, when the claim found a key of {@code old}'s renewal used before:
     * names the field whose key was (key by key, as {@link #requireNew} does). Nothing is deleted from the tables the
     * claim looked in, so one is found.
     */
    RaException usedBefore(KeyHash signing, KeyHash encryption, CurrentPair old) {
        try {
            requireNew(signing, old, "signing");
            requireNew(encryption, old, "encryption");
        } catch (RaException named) {
            return named;
        }
        return new RaException(ErrorCode.KEY_NOT_NEW, "a key was certified (or requested) before");
    }

    /** A key of a new card (enrolment) must never have been certified or requested. */
    void requireNeverUsed(KeyHash key, String field) {
        if (certificates.keyCertified(key) || renewals.keyClaimed(key)) {
            throw notNew(field);
        }
    }

    /** The signing and the encryption key are two keys. */
    static void requireDistinct(KeyHash signing, KeyHash encryption) {
        if (signing.equals(encryption)) {
            throw new RaException(ErrorCode.KEYS_IDENTICAL, "the signing and the encryption key are the same key");
        }
    }

    private void requireNew(KeyHash key, CurrentPair old, String field) {
        requireNotCurrent(key, old, field);
        if (certificates.keyCertified(key)
                || renewals.keyClaimedByOtherPair(key, old.pair().id())) {
            throw notNew(field);
        }
    }

    private static void requireNotCurrent(KeyHash key, CurrentPair old, String field) {
        if (key.equals(old.signing().keyHash()) || key.equals(old.encryption().keyHash())) {
            throw new RaException(ErrorCode.KEY_NOT_NEW, field + " key is a key of the current card pair");
        }
    }

    private static RaException notNew(String field) {
        return new RaException(ErrorCode.KEY_NOT_NEW, field + " key was certified (or requested) before");
    }
}
