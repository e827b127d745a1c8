package org.cardrenew.server.est;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.cardrenew.server.testsupport.FuzzTarget;
import org.springframework.http.MediaType;

/**
 * The EST {@code /simplereenroll} endpoint through the whole filter chain (MockMvc): every body is answered with a
 * 4xx and writes nothing. Replays its seeds in every build; fuzzes in the longer run (the body's parser fuzzes in the
 * short run, {@link EstBodyFuzzTest}). Seeds: src/test/resources/org/cardrenew/server/est/EstEndpointFuzzTestInputs.
 */
class EstEndpointFuzzTest extends FuzzTarget {

    @FuzzTest(maxDuration = "10s")
    void anyBodyIsAnsweredWithA4xx(byte[] input) throws Exception {
        long before = renewalState();
        assertRefusedCleanly(mvc.perform(post("/.well-known/est/simplereenroll")
                        .contentType(MediaType.valueOf("application/pkcs10"))
                        .content(input))
                .andReturn());
        assertThat(renewalState()).isEqualTo(before);
    }
}
