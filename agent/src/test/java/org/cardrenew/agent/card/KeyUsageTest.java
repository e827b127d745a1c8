package org.cardrenew.agent.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.cardrenew.pkcs11.Cka;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The read-back check of key usages against cards that ignore the template, which SoftHSM2 never does:
 * the attributes a card reports after generation are faked here.
 */
class KeyUsageTest {

    static Stream<Arguments> cards() {
        return Stream.of(
                card("ok/as asked", r -> {}, List.of()),
                card(
                        "fail/signing key can decrypt (token default)",
                        r -> r.put(Cka.DECRYPT, true),
                        List.of("CKA_DECRYPT false")),
                card(
                        "fail/signing key can unwrap and derive",
                        r -> {
                            r.put(Cka.UNWRAP, true);
                            r.put(Cka.DERIVE, true);
                        },
                        List.of("CKA_UNWRAP false", "CKA_DERIVE false")),
                card("fail/cannot sign its proof of possession", r -> r.put(Cka.SIGN, false), List.of("CKA_SIGN true")),
                card(
                        "fail/sign-recover left on",
                        r -> r.put(Cka.SIGN_RECOVER, true),
                        List.of("CKA_SIGN_RECOVER false")),
                card("fail/sign not reported", r -> r.put(Cka.SIGN, null), List.of("CKA_SIGN true")),
                card(
                        "ok/derive not reported (a usage the token does not know)",
                        r -> r.put(Cka.DERIVE, null),
                        List.of()));
    }

    private static Arguments card(String name, Consumer<Map<Long, Boolean>> change, List<String> ignored) {
        return Arguments.of(Named.of(name, change), ignored);
    }

    @ParameterizedTest
    @MethodSource("cards")
    void aSigningKeyWhoseUsagesDifferFromTheTemplateIsRefused(
            Consumer<Map<Long, Boolean>> change, List<String> ignored) {
        Map<Long, Boolean> wanted = KeyUsage.privateKey(KeyPurpose.SIGNING, KeySpec.RSA_2048);
        Map<Long, Boolean> read = new HashMap<>(wanted);
        change.accept(read);
        assertThat(KeyUsage.ignored(wanted, read)).containsExactlyElementsOf(ignored);
    }

    @Test
    void theEncryptionKeyMayDoOnlyWhatItsKeyTypeNeedsForEncryptionAndItsProofOfPossession() {
        assertThat(KeyUsage.privateKey(KeyPurpose.ENCRYPTION, KeySpec.RSA_2048))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        Cka.SIGN,
                        true,
                        Cka.SIGN_RECOVER,
                        false,
                        Cka.DECRYPT,
                        true,
                        Cka.UNWRAP,
                        true,
                        Cka.DERIVE,
                        false));
        assertThat(KeyUsage.privateKey(KeyPurpose.ENCRYPTION, KeySpec.EC_P256))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        Cka.SIGN,
                        true,
                        Cka.SIGN_RECOVER,
                        false,
                        Cka.DECRYPT,
                        false,
                        Cka.UNWRAP,
                        false,
                        Cka.DERIVE,
                        true));
        assertThat(KeyUsage.privateKey(KeyPurpose.SIGNING, KeySpec.EC_P256))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        Cka.SIGN,
                        true,
                        Cka.SIGN_RECOVER,
                        false,
                        Cka.DECRYPT,
                        false,
                        Cka.UNWRAP,
                        false,
                        Cka.DERIVE,
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("space")
    void aFullCardIsToldApartFromOtherFailures(
            String name, long code, long freePublic, long freePrivate, boolean full) {
        assertThat(CardSpace.isFull(code, freePublic, freePrivate)).isEqualTo(full);
    }

    static Stream<Arguments> space() {
        return Stream.of(
                Arguments.of("full/CKR_DEVICE_MEMORY", 0x31L, -1L, -1L, true),
                Arguments.of("full/CKR_DEVICE_ERROR, 100 bytes of private memory left", 0x30L, 30_000L, 100L, true),
                Arguments.of("other/CKR_DEVICE_ERROR, memory not reported (64-bit)", 0x30L, -1L, -1L, false),
                Arguments.of(
                        "other/CKR_DEVICE_ERROR, memory not reported (32-bit)", 0x30L, 0xFFFFFFFFL, 0xFFFFFFFFL, false),
                Arguments.of("other/CKR_DEVICE_ERROR, room left", 0x30L, 30_000L, 20_000L, false),
                Arguments.of("other/CKR_FUNCTION_FAILED", 0x06L, 0L, 0L, false));
    }
}
