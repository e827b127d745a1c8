package org.cardrenew.server.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.cardrenew.server.testsupport.FuzzTarget;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Coverage-guided fuzzing of the OCSP responder (RFC 6960 request over RFC 5019 HTTP POST): every body gets a 4xx or
 * a well-formed OCSP response (malformedRequest for junk), never a 500, and writes nothing. Seeds:
 * src/test/resources/org/cardrenew/server/revocation/OcspRequestFuzzTestInputs.
 */
class OcspRequestFuzzTest extends FuzzTarget {

    @FuzzTest(maxDuration = "10s")
    void anyRequestGetsAnOcspResponseOrA4xx(byte[] request) throws Exception {
        long before = renewalState();
        MvcResult result = mvc.perform(post("/ocsp")
                        .contentType(RevocationEndpoints.OCSP_REQUEST)
                        .content(request))
                .andReturn();
        assertRefusedCleanly(result);
        if (result.getResponse().getStatus() == 200) {
            assertThat(new OCSPResp(result.getResponse().getContentAsByteArray()).getStatus())
                    .as("OCSP response status")
                    .isBetween(0, 6);
        }
        assertThat(renewalState()).isEqualTo(before);
    }
}
