package org.cardrenew.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.FuzzTarget;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Coverage-guided fuzzing of the RA's JSON API: the first byte picks the endpoint, the rest is the body. Every body
 * is refused with a 4xx and a stable error code from {@link ErrorCode}, never a 500, and writes no renewal state.
 * Seeds: src/test/resources/org/cardrenew/server/web/RaJsonFuzzTestInputs.
 */
class RaJsonFuzzTest extends FuzzTarget {

    private static final List<String> ENDPOINTS = List.of(
            ApiPaths.STATUS,
            ApiPaths.RENEWALS,
            ApiPaths.confirmation("00000000-0000-0000-0000-000000000000"),
            ApiPaths.ENROLLMENTS);

    @FuzzTest(maxDuration = "10s")
    void anyBodyIsRefusedWithAStableCode(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        String path = ENDPOINTS.get(Byte.toUnsignedInt(input[0]) % ENDPOINTS.size());
        MockHttpServletRequestBuilder request =
                post(path).contentType(MediaType.APPLICATION_JSON).content(Arrays.copyOfRange(input, 1, input.length));
        if (path.equals(ApiPaths.ENROLLMENTS)) {
            request.header("Authorization", "Bearer " + ApiTestBase.ADMIN_TOKEN);
        }
        long before = renewalState();
        MvcResult result = mvc.perform(request).andReturn();
        assertRefusedCleanly(result);
        int status = result.getResponse().getStatus();
        if (status >= 400) {
            String body = result.getResponse().getContentAsString();
            assertThat(Arrays.stream(ErrorCode.values()).anyMatch(c -> body.contains("\"" + c.name() + "\"")))
                    .as("a stable error code in %s", body)
                    .isTrue();
            assertThat(renewalState()).isEqualTo(before);
        }
    }
}
