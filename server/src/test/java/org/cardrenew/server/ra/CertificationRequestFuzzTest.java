package org.cardrenew.server.ra;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Base64;
import org.cardrenew.protocol.ErrorCode;

/**
 * Coverage-guided fuzzing of the PKCS#10 parser (issue 13 item 10, docs/FUZZING.md): any DER either yields a
 * request whose signature verified or a refusal with a CSR code, never another exception. Seeds:
 * src/test/resources/org/cardrenew/server/ra/CertificationRequestFuzzTestInputs.
 */
class CertificationRequestFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anyDerIsParsedOrRefusedWithACsrCode(byte[] der) {
        try {
            CertificationRequest request =
                    CertificationRequest.parse(Base64.getEncoder().encodeToString(der), "CSR");
            assertThat(request.publicKey()).isNotNull();
        } catch (RaException e) {
            assertThat(e.code())
                    .isIn(
                            ErrorCode.REQUEST_INVALID,
                            ErrorCode.CSR_MALFORMED,
                            ErrorCode.CSR_SIGNATURE_INVALID,
                            ErrorCode.SIGNATURE_ALGORITHM_UNSUPPORTED);
        }
    }
}
