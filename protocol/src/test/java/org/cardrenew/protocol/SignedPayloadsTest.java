package org.cardrenew.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fixed vectors for the bytes a card signs: cards in the field and servers of other versions must agree on them byte
 * for byte, so any change here is a protocol change (a new {@code CardRenew/vN} prefix), never a refactoring.
 */
class SignedPayloadsTest {

    /** A nonce as {@code ChallengeService} issues it: 32 random bytes, base64url without padding (here 0x00..0x1f). */
    private static final String NONCE = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    private static final String RENEWAL_ID = "0f8e6b2c-3a41-4d5e-9f70-8a1b2c3d4e5f";

    static Stream<Arguments> vectors() {
        return Stream.of(
                argumentSet(
                        "status/nonce",
                        SignedPayloads.status(NONCE),
                        "CardRenew/v1 status\n" + NONCE,
                        "4361726452656e65772f7631207374617475730a"
                                + "41414543417751464267634943516f4c4441304f4478415245684d554652595847426b6147787764486838"),
                argumentSet(
                        "console-sign-in/nonce",
                        SignedPayloads.consoleSignIn(NONCE),
                        "CardRenew/v1 console-sign-in\n" + NONCE,
                        "4361726452656e65772f763120636f6e736f6c652d7369676e2d696e0a"
                                + "41414543417751464267634943516f4c4441304f4478415245684d554652595847426b6147787764486838"),
                argumentSet(
                        "confirm/renewal-id",
                        SignedPayloads.confirmation(RENEWAL_ID),
                        "CardRenew/v1 confirm\n" + RENEWAL_ID,
                        "4361726452656e65772f763120636f6e6669726d0a"
                                + "30663865366232632d336134312d346435652d396637302d386131623263336434653566"));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void payloadIsExactlyTheFixedVector(byte[] payload, String text, String hex) {
        assertThat(HexFormat.of().formatHex(payload)).isEqualTo(hex);
        assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void nonAsciiInputIsEncodedAsUtf8() {
        assertThat(HexFormat.of().formatHex(SignedPayloads.status("é")))
                .isEqualTo("4361726452656e65772f7631207374617475730a" + "c3a9");
    }

    /**
     * One purpose per payload: for any inputs, the bytes of one purpose are never the bytes of another, because each
     * starts with its own line and no purpose line is a prefix of another (the input follows a newline).
     */
    @Test
    void noTwoPurposesCanProduceTheSameBytes() {
        List<Function<String, byte[]>> purposes =
                List.of(SignedPayloads::status, SignedPayloads::consoleSignIn, SignedPayloads::confirmation);
        List<String> firstLines =
                purposes.stream().map(p -> firstLine(p.apply(""))).toList();
        assertThat(firstLines)
                .doesNotHaveDuplicates()
                .allSatisfy(line -> assertThat(line).startsWith("CardRenew/v1 "));
        for (Function<String, byte[]> purpose : purposes) {
            // The input starts after the purpose line, whatever it contains (even a newline or another purpose's line).
            String input = "CardRenew/v1 confirm\n" + NONCE;
            String payload = new String(purpose.apply(input), StandardCharsets.UTF_8);
            assertThat(payload).isEqualTo(firstLine(purpose.apply("")) + "\n" + input);
        }
        // Same input under every purpose: all different.
        assertThat(purposes.stream()
                        .map(p -> HexFormat.of().formatHex(p.apply(NONCE)))
                        .toList())
                .doesNotHaveDuplicates();
    }

    private static String firstLine(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        return text.substring(0, text.indexOf('\n'));
    }
}
