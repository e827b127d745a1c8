package org.cardrenew.agent.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.cardrenew.pkcs11.Pkcs11Exception;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Outcomes SoftHSM2 never produces (it never locks a PIN nor sets the counter flags), from faked CK_RVs and flags. */
class LoginOutcomeTest {

    private static final long COUNT_LOW = 0x10000;
    private static final long FINAL_TRY = 0x20000;
    private static final long LOCKED = 0x40000;
    private static final long INITIALIZED = 0x400 | 0x8;

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("wrong/no flags", 0xA0L, INITIALIZED, WrongPinException.class, PinWarning.NONE),
                Arguments.of(
                        "wrong/count low",
                        0xA0L,
                        INITIALIZED | COUNT_LOW,
                        WrongPinException.class,
                        PinWarning.COUNT_LOW),
                Arguments.of(
                        "wrong/final try",
                        0xA0L,
                        INITIALIZED | COUNT_LOW | FINAL_TRY,
                        WrongPinException.class,
                        PinWarning.FINAL_TRY),
                Arguments.of("wrong/now locked by flag", 0xA0L, INITIALIZED | LOCKED, PinLockedException.class, null),
                Arguments.of("locked/CKR_PIN_LOCKED", 0xA4L, INITIALIZED, PinLockedException.class, null),
                Arguments.of("removed/CKR_DEVICE_REMOVED", 0x32L, 0L, NoTokenException.class, null),
                Arguments.of("removed/CKR_TOKEN_NOT_PRESENT", 0xE0L, 0L, NoTokenException.class, null),
                Arguments.of("other/CKR_GENERAL_ERROR", 0x05L, INITIALIZED, CardFailureException.class, null),
                Arguments.of("other/CKR_PIN_EXPIRED", 0xA3L, INITIALIZED, CardFailureException.class, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aFailedLoginIsClassified(
            String name, long ckr, long flags, Class<? extends CardException> expected, PinWarning warning) {
        CardException e = LoginOutcome.classify(ckr, flags, new Pkcs11Exception("login refused", ckr, null));
        assertThat(e).isInstanceOf(expected);
        if (warning != null) {
            assertThat(((WrongPinException) e).warning()).isEqualTo(warning);
        }
        assertThat(e.getMessage()).doesNotContainPattern("[0-9]{6}");
    }
}
