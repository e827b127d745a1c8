package org.cardrenew.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6238 Appendix B test vectors (SHA-1, 8 digits) and the 6-digit login rule. */
class TotpTest {

    private static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "T={0}")
    @CsvSource({
        "59, 94287082",
        "1111111109, 07081804",
        "1111111111, 14050471",
        "1234567890, 89005924",
        "2000000000, 69279037",
        "20000000000, 65353130"
    })
    void rfc6238Vectors(long seconds, String expected) {
        assertThat(Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(seconds)), 8))
                .isEqualTo(expected);
    }

    @Test
    void aCodeFromTheStepBeforeOrAfterIsAcceptedButNotTwoAway() {
        Instant now = Instant.ofEpochSecond(1_111_111_111);
        String previous = Totp.code(RFC_KEY, Totp.step(now) - 1, 6);
        String twoAgo = Totp.code(RFC_KEY, Totp.step(now) - 2, 6);
        assertThat(Totp.matchingStep(RFC_KEY, previous, now)).isEqualTo(Totp.step(now) - 1);
        assertThat(Totp.matchingStep(RFC_KEY, twoAgo, now)).isEqualTo(-1);
        assertThat(Totp.matchingStep(RFC_KEY, "12345", now)).isEqualTo(-1);
        assertThat(Totp.matchingStep(RFC_KEY, null, now)).isEqualTo(-1);
    }

    @Test
    void base32AsAuthenticatorAppsReadIt() {
        // RFC 4648 §10 vectors without padding
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(Totp.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
    }
}
