package org.cardrenew.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cardrenew.server.web.HolderMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;

/** The body limits are configuration ({@code cardrenew.body-limit.*}), bounded, and the filter applies the configured ones. */
class BodyLimitPropertiesTest {

    private static final DataSize KB16 = DataSize.ofKilobytes(16);

    @ParameterizedTest(name = "{0}")
    @CsvSource({"3KB", "2MB", "0B"})
    void aLimitOutsideFourKilobytesToOneMegabyteIsRefusedAtStart(String limit) {
        assertThatThrownBy(() -> new BodyLimitProperties(KB16, KB16, DataSize.parse(limit), KB16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cardrenew.body-limit.cmp");
    }

    @ParameterizedTest(name = "{0}: {1} bytes with a limit of 8 KB -> {2}")
    @CsvSource({
        "/ocsp, 8192, 200",
        "/ocsp, 8193, 413",
        "/.well-known/est/simplereenroll, 8193, 413",
        "/.well-known/cmp, 8193, 413",
        "/api/v1/renewals, 8193, 413",
        "/api/v1/renewals, 8192, 200"
    })
    void theConfiguredLimitOfThePathApplies(String path, int length, int status) throws Exception {
        DataSize eight = DataSize.ofKilobytes(8);
        BodyLimitFilter filter = new BodyLimitFilter(
                new BodyLimitProperties(eight, eight, eight, eight), messages(), new AcceptHeaderLocaleResolver());
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setContent(new byte[length]);
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(request, response, new MockFilterChain());

        assertThat(response.getStatus()).isEqualTo(status);
        if (status == 413) {
            assertThat(response.getContentAsString()).contains("\"code\":\"REQUEST_TOO_LARGE\"");
        }
    }

    @Test
    void eachKindOfEndpointHasItsOwnLimit() {
        BodyLimitFilter filter = new BodyLimitFilter(
                new BodyLimitProperties(
                        DataSize.ofKilobytes(5),
                        DataSize.ofKilobytes(6),
                        DataSize.ofKilobytes(7),
                        DataSize.ofKilobytes(8)),
                messages(),
                new AcceptHeaderLocaleResolver());

        assertThat(filter.limitOf("/ocsp/MEUw")).isEqualTo(5 * 1024);
        assertThat(filter.limitOf("/.well-known/est/signing/simplereenroll")).isEqualTo(6 * 1024);
        assertThat(filter.limitOf("/.well-known/cmp/p/card")).isEqualTo(7 * 1024);
        assertThat(filter.limitOf("/console/enroll")).isEqualTo(8 * 1024);
    }

    private static HolderMessages messages() {
        ResourceBundleMessageSource source = new ResourceBundleMessageSource();
        source.setBasename("messages");
        source.setDefaultEncoding("UTF-8");
        return new HolderMessages(source);
    }
}
