package org.cardrenew.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.security.auth.login.FailedLoginException;
import org.cardrenew.ca.CaUnavailableException.Problem;
import org.cardrenew.pkcs11.Pkcs11Exception;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How refused logins are reported. SoftHSM2 never locks a PIN, so the locked case is an exception chain like the
 * one SunPKCS11 builds around the token's return value (the pkcs11 module's Pkcs11ExceptionTest reads the JDK's
 * own chain); the wrong PIN is also tested for real in {@link HsmCaTest}.
 */
class HsmLoginFailureTest {

    private static final CaKeyLocation.HsmToken TOKEN =
            new CaKeyLocation.HsmToken(Path.of("/usr/lib/libhsm.so"), "CA", "000000".toCharArray());

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(Named.of("CKR_PIN_INCORRECT", 0xA0L), Problem.TOKEN_PIN_WRONG, "PIN is wrong"),
                Arguments.of(Named.of("CKR_PIN_LOCKED", 0xA4L), Problem.TOKEN_PIN_LOCKED, "locked"),
                Arguments.of(Named.of("CKR_DEVICE_REMOVED", 0x32L), Problem.HSM_LIBRARY_UNUSABLE, "cannot log in"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void refusedLoginIsReportedByTheTokensReason(long returnValue, Problem problem, String message) {
        FailedLoginException login = new FailedLoginException("login failed");
        login.initCause(new Pkcs11Exception("refused", returnValue, null));

        CaUnavailableException e = HsmCaKeyStore.loginFailure(TOKEN, new IOException("load failed", login));

        assertThat(e.problem()).isEqualTo(problem);
        assertThat(e.getMessage()).contains(message).contains("'CA'").doesNotContain("000000");
    }
}
