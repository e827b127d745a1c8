package org.cardrenew.server.cmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bouncycastle.asn1.cmp.ErrorMsgContent;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.cardrenew.server.testsupport.FuzzTarget;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Coverage-guided fuzzing of the CMP endpoint (RFC 4210/9480 PKIMessage over RFC 6712 HTTP): every body gets a 4xx
 * or a CMP message — for anything that is not a valid, authenticated request an error message — never a 500, and
 * writes nothing. Seeds: src/test/resources/org/cardrenew/server/cmp/CmpMessageFuzzTestInputs.
 */
class CmpMessageFuzzTest extends FuzzTarget {

    @FuzzTest(maxDuration = "10s")
    void anyMessageGetsACmpErrorOrA4xx(byte[] message) throws Exception {
        long before = renewalState();
        MvcResult result = mvc.perform(post("/.well-known/cmp")
                        .contentType(MediaType.valueOf(CmpController.PKIXCMP))
                        .content(message))
                .andReturn();
        assertRefusedCleanly(result);
        if (result.getResponse().getStatus() == 200) {
            PKIMessage answer = PKIMessage.getInstance(result.getResponse().getContentAsByteArray());
            assertThat(answer.getBody().getType()).as("CMP answer body type").isEqualTo(PKIBody.TYPE_ERROR);
            // The texts the server wrote (the header echoes the request's bytes, so only these are ours).
            ErrorMsgContent error = ErrorMsgContent.getInstance(answer.getBody().getContent());
            for (PKIFreeText text :
                    new PKIFreeText[] {error.getPKIStatusInfo().getStatusString(), error.getErrorDetails()}) {
                for (int i = 0; text != null && i < text.size(); i++) {
                    assertNoInternals(text.getStringAtUTF8(i).getString());
                }
            }
        }
        assertThat(renewalState()).isEqualTo(before);
    }
}
