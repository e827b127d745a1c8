package org.cardrenew.agent.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class RequestBodyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void oneFlatObjectIsReadWithThePinApart() throws Exception {
        try (RequestBody body = read("{\"token\":\"card-1\",\"pin\":\"123456\"}")) {
            assertThat(body.field("token")).isEqualTo("card-1");
            assertThat(body.field("pin")).isNull();
            assertThat(body.takePin()).containsExactly('1', '2', '3', '4', '5', '6');
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"token\":\"card-1\"}{\"token\":\"card-2\"}",
                "{\"token\":\"card-1\"} []",
                "{\"token\":\"card-1\"} \"more\"",
                "[\"token\"]",
                "{\"pin\":\"123456\",\"token\":7}"
            })
    void anythingButOneFlatObjectIsABadRequest(String text) {
        assertThatThrownBy(() -> read(text)).isInstanceOf(RequestBody.BadRequest.class);
    }

    @Test
    void whitespaceAfterTheObjectIsFine() throws Exception {
        try (RequestBody body = read("{\"token\":\"card-1\"}\n")) {
            assertThat(body.field("token")).isEqualTo("card-1");
        }
    }

    private static RequestBody read(String text) throws Exception {
        return RequestBody.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), JSON);
    }
}
