package org.cardrenew.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.stream.Stream;
import org.cardrenew.protocol.CertificateStatus;
import org.cardrenew.protocol.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HolderMessagesTest {

    @ParameterizedTest
    @ValueSource(strings = {"messages.properties", "messages_en.properties"})
    void everyCodeAndStatusHasASentence(String bundle) throws IOException {
        Properties messages = new Properties();
        try (Reader in = new InputStreamReader(
                getClass().getClassLoader().getResourceAsStream(bundle), StandardCharsets.UTF_8)) {
            messages.load(in);
        }
        Stream.of(ErrorCode.values())
                .forEach(c -> assertThat(messages.getProperty("error." + c.name()))
                        .as(c.name())
                        .isNotBlank());
        Stream.of(CertificateStatus.values())
                .forEach(s -> assertThat(messages.getProperty("status." + s.name()))
                        .as(s.name())
                        .isNotBlank());
    }
}
