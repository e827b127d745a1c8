package org.cardrenew.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.cardrenew.protocol.RenewalState;
import org.junit.jupiter.api.Test;

/** Records holding encodings compare by content, so a renewal read back equals the one stored. */
class DerTest {

    private static final Instant AT = Instant.parse("2026-12-06T00:00:00Z");

    @Test
    void equalBytesAreEqualValues() {
        assertThat(Der.of(new byte[] {0x30, 0}))
                .isEqualTo(Der.of(new byte[] {0x30, 0}))
                .hasSameHashCodeAs(Der.of(new byte[] {0x30, 0}))
                .isNotEqualTo(Der.of(new byte[] {0x30, 1}));
    }

    @Test
    void changingTheArrayAfterwardsChangesNothing() {
        byte[] source = {0x30, 0};
        Der der = Der.of(source);
        source[1] = 9;
        der.bytes()[1] = 9;

        assertThat(der.bytes()).containsExactly(0x30, 0);
    }

    @Test
    void twoRenewalsWithTheSameKeysInOtherArraysAreEqual() {
        RenewalId id = RenewalId.random();
        KeyHash signing = KeyHash.ofSpki(new byte[] {1});
        KeyHash encryption = KeyHash.ofSpki(new byte[] {2});

        assertThat(renewal(id, signing, encryption, new byte[] {1}, new byte[] {2}))
                .isEqualTo(renewal(id, signing, encryption, new byte[] {1}, new byte[] {2}))
                .isNotEqualTo(renewal(id, signing, encryption, new byte[] {1}, new byte[] {3}));
    }

    @Test
    void consoleUsersAndCheckpointsCompareTheirArraysByContent() {
        assertThat(new ConsoleUser("a", "OFFICER", "h", new byte[] {7}, 1, AT, "admin"))
                .isEqualTo(new ConsoleUser("a", "OFFICER", "h", new byte[] {7}, 1, AT, "admin"))
                .isNotEqualTo(new ConsoleUser("a", "OFFICER", "h", new byte[] {8}, 1, AT, "admin"))
                .asString()
                .doesNotContain("h,")
                .doesNotContain("totp");
        assertThat(new AuditCheckpoint(4, "ab", AT, "SHA256withECDSA", "fp", new byte[] {1}, new byte[] {2}, 3L, null))
                .isEqualTo(new AuditCheckpoint(
                        4, "ab", AT, "SHA256withECDSA", "fp", new byte[] {1}, new byte[] {2}, 3L, null));
    }

    private static Renewal renewal(
            RenewalId id, KeyHash signing, KeyHash encryption, byte[] signingKey, byte[] encryptionKey) {
        return new Renewal(
                id,
                new PairId(1),
                RenewalState.REQUESTED,
                signing,
                encryption,
                Der.of(signingKey),
                Der.of(encryptionKey),
                null,
                AT,
                null,
                null);
    }
}
