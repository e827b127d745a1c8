package org.cardrenew.server.ra;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.Optional;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.store.CardPair;
import org.cardrenew.server.store.CertificateId;
import org.cardrenew.server.store.CertificateKind;
import org.cardrenew.server.store.CertificateRepository;
import org.cardrenew.server.store.Der;
import org.cardrenew.server.store.HolderId;
import org.cardrenew.server.store.KeyHash;
import org.cardrenew.server.store.PairId;
import org.cardrenew.server.store.PairStatus;
import org.cardrenew.server.store.RenewalRepository;
import org.cardrenew.server.store.StoredCertificate;
import org.junit.jupiter.api.Test;

/** The key checks of a renewal and an enrolment, each refusal with its code and the field it names. */
class NewKeysTest {

    private static final Instant T = Instant.parse("2026-12-06T00:00:00Z");
    private static final PairId PAIR = new PairId(7);
    private static final KeyHash CURRENT_SIGNING = hash('a');
    private static final KeyHash CURRENT_ENCRYPTION = hash('b');
    private static final KeyHash FRESH_SIGNING = hash('c');
    private static final KeyHash FRESH_ENCRYPTION = hash('d');

    private final RenewalRepository renewals = mock(RenewalRepository.class);
    private final CertificateRepository certificates = mock(CertificateRepository.class);
    private final NewKeys newKeys = new NewKeys(renewals, certificates);
    private final CurrentPair old = new CurrentPair(
            new CardPair(PAIR, new HolderId("A123456789"), PairStatus.ACTIVE, T, null, null),
            stored(1, CertificateKind.SIGNING, CURRENT_SIGNING),
            stored(2, CertificateKind.ENCRYPTION, CURRENT_ENCRYPTION),
            Optional.empty());

    @Test
    void twoKeysNeverSeenBeforePassWithOneQuery() {
        when(renewals.eitherKeyUsedBefore(FRESH_SIGNING, FRESH_ENCRYPTION, PAIR))
                .thenReturn(false);

        assertThatCode(() -> newKeys.requireNew(FRESH_SIGNING, FRESH_ENCRYPTION, old))
                .doesNotThrowAnyException();
        verifyNoInteractions(certificates);
    }

    @Test
    void theCurrentSigningKeyAgainIsNotNew() {
        assertRefused(
                () -> newKeys.requireNew(CURRENT_SIGNING, FRESH_ENCRYPTION, old),
                ErrorCode.KEY_NOT_NEW,
                "signing key is a key of the current card pair");
    }

    @Test
    void theCurrentSigningKeyAsTheNewEncryptionKeyIsNotNew() {
        assertRefused(
                () -> newKeys.requireNew(FRESH_SIGNING, CURRENT_SIGNING, old),
                ErrorCode.KEY_NOT_NEW,
                "encryption key is a key of the current card pair");
    }

    @Test
    void aKeyTheCaCertifiedBeforeIsNotNewAndTheFieldIsNamed() {
        when(renewals.eitherKeyUsedBefore(FRESH_SIGNING, FRESH_ENCRYPTION, PAIR))
                .thenReturn(true);
        when(certificates.keyCertified(FRESH_ENCRYPTION)).thenReturn(true);

        assertRefused(
                () -> newKeys.requireNew(FRESH_SIGNING, FRESH_ENCRYPTION, old),
                ErrorCode.KEY_NOT_NEW,
                "encryption key was certified (or requested) before");
    }

    @Test
    void aKeyAnotherPairsRenewalClaimedIsNotNew() {
        when(renewals.eitherKeyUsedBefore(FRESH_SIGNING, FRESH_ENCRYPTION, PAIR))
                .thenReturn(true);
        when(renewals.keyClaimedByOtherPair(FRESH_SIGNING, PAIR)).thenReturn(true);

        assertRefused(
                () -> newKeys.requireNew(FRESH_SIGNING, FRESH_ENCRYPTION, old),
                ErrorCode.KEY_NOT_NEW,
                "signing key was certified (or requested) before");
    }

    @Test
    void whenTheOneQueryFindsAKeyTheKeyByKeyChecksDecide() {
        // The one query only tells whether to look closer; the key-by-key checks name the field, or find nothing.
        when(renewals.eitherKeyUsedBefore(FRESH_SIGNING, FRESH_ENCRYPTION, PAIR))
                .thenReturn(true);

        assertThatCode(() -> newKeys.requireNew(FRESH_SIGNING, FRESH_ENCRYPTION, old))
                .doesNotThrowAnyException();
    }

    @Test
    void theCardsCurrentKeysAreRefusedWithoutAQuery() {
        assertRefused(
                () -> newKeys.requireNotCurrent(FRESH_SIGNING, CURRENT_ENCRYPTION, old),
                ErrorCode.KEY_NOT_NEW,
                "encryption key is a key of the current card pair");
        assertThatCode(() -> newKeys.requireNotCurrent(FRESH_SIGNING, FRESH_ENCRYPTION, old))
                .doesNotThrowAnyException();
        verifyNoInteractions(renewals, certificates);
    }

    @Test
    void aClaimRefusedForAKeyUsedBeforeNamesTheKey() {
        when(renewals.keyClaimedByOtherPair(FRESH_ENCRYPTION, PAIR)).thenReturn(true);

        // Returned, not thrown: the caller first looks whether an identical request raced it (a resume).
        RaException refusal = newKeys.usedBefore(FRESH_SIGNING, FRESH_ENCRYPTION, old);

        assertRefused(
                () -> {
                    throw refusal;
                },
                ErrorCode.KEY_NOT_NEW,
                "encryption key was certified (or requested) before");
    }

    @Test
    void aClaimRefusedWhenNoKeyCanBeNamedIsStillNotNew() {
        RaException refusal = newKeys.usedBefore(FRESH_SIGNING, FRESH_ENCRYPTION, old);

        assertRefused(
                () -> {
                    throw refusal;
                },
                ErrorCode.KEY_NOT_NEW,
                "a key was certified (or requested) before");
    }

    @Test
    void anEnrolmentKeyCertifiedOrRequestedBeforeIsNotNew() {
        when(certificates.keyCertified(FRESH_SIGNING)).thenReturn(true);
        when(renewals.keyClaimed(FRESH_ENCRYPTION)).thenReturn(true);

        assertRefused(
                () -> newKeys.requireNeverUsed(FRESH_SIGNING, "signing"),
                ErrorCode.KEY_NOT_NEW,
                "signing key was certified");
        assertRefused(
                () -> newKeys.requireNeverUsed(FRESH_ENCRYPTION, "encryption"),
                ErrorCode.KEY_NOT_NEW,
                "encryption key was certified");
        assertThatCode(() -> newKeys.requireNeverUsed(hash('e'), "signing")).doesNotThrowAnyException();
    }

    @Test
    void oneKeyForBothUsesIsRefusedAsIdentical() {
        assertRefused(
                () -> NewKeys.requireDistinct(FRESH_SIGNING, hash('c')), ErrorCode.KEYS_IDENTICAL, "the same key");
        assertThatCode(() -> NewKeys.requireDistinct(FRESH_SIGNING, FRESH_ENCRYPTION))
                .doesNotThrowAnyException();
    }

    private static void assertRefused(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        RaException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code())
                                .isEqualTo(code))
                .hasMessageContaining(message);
    }

    private static KeyHash hash(char c) {
        return new KeyHash(String.valueOf(c).repeat(64));
    }

    private static StoredCertificate stored(long id, CertificateKind kind, KeyHash key) {
        return new StoredCertificate(
                new CertificateId(id),
                PAIR,
                kind,
                "0" + id,
                "CN=Holder",
                T,
                T.plusSeconds(86_400),
                key,
                Der.of(new byte[] {0x30, 0x00}),
                null);
    }
}
