package org.cardrenew.server.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.cardrenew.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64FieldTest {

    private static final byte[] BYTES = "CardRenew \u00ff\u00fe certificate bytes?>".getBytes(StandardCharsets.UTF_8);

    @Test
    void aFieldWithoutWhitespaceIsDecodedAsIs() {
        String encoded = Base64.getEncoder().encodeToString(BYTES);
        assertThat(Base64Field.withoutWhitespace(encoded)).isSameAs(encoded);
        assertThat(Base64Field.decode(encoded, ErrorCode.CSR_MALFORMED, "csr")).isEqualTo(BYTES);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {" ", "\t", "\n", "\r\n", "\u000B", "\f", "  \n\t "})
    void whitespaceAnywhereIsIgnoredAsTheRegexClassOfWhitespaceWas(String gap) {
        String encoded = Base64.getEncoder().encodeToString(BYTES);
        String spaced =
                gap + encoded.substring(0, 4) + gap + encoded.substring(4, 20) + gap + encoded.substring(20) + gap;
        assertThat(Base64Field.withoutWhitespace(spaced)).isEqualTo(spaced.replaceAll("\\s", ""));
        assertThat(Base64Field.decode(spaced, ErrorCode.CSR_MALFORMED, "csr")).isEqualTo(BYTES);
    }

    @Test
    void theUrlSafeAlphabetIsAccepted() {
        String encoded = Base64.getUrlEncoder().encodeToString(BYTES);
        assertThat(encoded).containsAnyOf("-", "_");
        assertThat(Base64Field.decode(encoded, ErrorCode.CSR_MALFORMED, "csr")).isEqualTo(BYTES);
    }

    @Test
    void otherWhitespaceAndForeignCharactersAreRefusedWithTheFieldsCode() {
        String encoded = Base64.getEncoder().encodeToString(BYTES);
        assertThatThrownBy(() -> Base64Field.decode(encoded + "\u00a0", ErrorCode.CSR_MALFORMED, "csr"))
                .isInstanceOfSatisfying(
                        RaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CSR_MALFORMED));
        assertThatThrownBy(() -> Base64Field.decode(" \n ", ErrorCode.CSR_MALFORMED, "csr"))
                .isInstanceOfSatisfying(
                        RaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_INVALID));
    }
}
