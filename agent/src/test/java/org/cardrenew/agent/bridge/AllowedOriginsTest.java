package org.cardrenew.agent.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Origins compare as RFC 6454 serialisations; anything else never matches. */
class AllowedOriginsTest {

    private final AllowedOrigins allowed =
            AllowedOrigins.of(List.of("https://renew.example.gov.tw/", "http://localhost:8080"));

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "exact/https, https://renew.example.gov.tw, true",
        "ok/default-port, https://renew.example.gov.tw:443, true",
        "ok/host-case, https://RENEW.example.gov.tw, true",
        "ok/dev, http://localhost:8080, true",
        "fail/other-port, http://localhost:8081, false",
        "fail/http-downgrade, http://renew.example.gov.tw, false",
        "fail/suffix, https://renew.example.gov.tw.evil.example, false",
        "fail/null-origin, null, false",
        "fail/path, https://renew.example.gov.tw/x, false",
        "fail/file, file://, false",
    })
    void matches(String name, String header, boolean expected) {
        assertThat(allowed.match(header).isPresent()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ftp://a.example", "https://a.example/path", "not a url"})
    void aListEntryThatIsNoOriginIsRefused(String entry) {
        assertThatThrownBy(() -> AllowedOrigins.of(List.of(entry))).isInstanceOf(IllegalArgumentException.class);
    }
}
