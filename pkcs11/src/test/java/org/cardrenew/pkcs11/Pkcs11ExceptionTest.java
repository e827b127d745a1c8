package org.cardrenew.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import javax.security.auth.login.FailedLoginException;
import org.junit.jupiter.api.Test;
import sun.security.pkcs11.wrapper.PKCS11Exception;

class Pkcs11ExceptionTest {

    @Test
    void theTokensReturnValueIsFoundInTheChainSunPkcs11BuildsAroundARefusedLogin() {
        // KeyStore.load on a SunPKCS11 provider: IOException → FailedLoginException → PKCS11Exception(CKR_...).
        FailedLoginException login = new FailedLoginException("login failed");
        login.initCause(new PKCS11Exception(Ckr.PIN_LOCKED, null));

        assertThat(Pkcs11Exception.errorCodeIn(new IOException("load failed", login)))
                .isEqualTo(Ckr.PIN_LOCKED);
    }

    @Test
    void theReturnValueOfThisModulesOwnExceptionIsFound() {
        Pkcs11Exception refused = new Pkcs11Exception("CKR_PIN_INCORRECT", Ckr.PIN_INCORRECT, null);

        assertThat(Pkcs11Exception.errorCodeIn(new IllegalStateException(refused)))
                .isEqualTo(Ckr.PIN_INCORRECT);
    }

    @Test
    void aChainWithoutAPkcs11FailureHasNoReturnValue() {
        assertThat(Pkcs11Exception.errorCodeIn(new IOException("disk", new IllegalStateException())))
                .isEqualTo(-1);
    }
}
