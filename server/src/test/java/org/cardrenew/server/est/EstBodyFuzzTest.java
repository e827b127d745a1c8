package org.cardrenew.server.est;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.ra.CertificationRequest;
import org.cardrenew.server.ra.RaException;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;

/**
 * Coverage-guided fuzzing of the EST {@code /simplereenroll} body (RFC 7030 §4.2.1: base64 PKCS#10, line breaks
 * allowed, PEM tolerated) without Spring, fast enough for the short run (docs/FUZZING.md): the text EstService hands
 * the RA parses or is refused with a CSR code, and {@link EstController} answers that refusal with its 4xx status and
 * the bare code (RFC 7030 §4.2.3). The body is read both as UTF-8 and as ISO-8859-1 (every byte a character). The
 * endpoint itself is {@link EstEndpointFuzzTest}. Seeds: src/test/resources/org/cardrenew/server/est/EstBodyFuzzTestInputs.
 */
class EstBodyFuzzTest {

    private static final EstController CONTROLLER = new EstController(null, null);

    static {
        // EstController logs every refusal at INFO, so a line per input: 2.3 million lines (360 MB) in a 5-minute run,
        // written while fuzzing. The oracle checks the answer, not the log.
        ((Logger) LoggerFactory.getLogger(EstController.class)).setLevel(Level.WARN);
    }

    @FuzzTest(maxDuration = "10s")
    void anyBodyIsParsedOrRefusedWithACode(byte[] input) {
        parsedOrRefused(new String(input, StandardCharsets.UTF_8));
        parsedOrRefused(new String(input, StandardCharsets.ISO_8859_1));
    }

    private static void parsedOrRefused(String body) {
        try {
            assertThat(CertificationRequest.parse(body, "signing CSR").publicKey())
                    .isNotNull();
        } catch (RaException e) {
            assertThat(e.code())
                    .isIn(
                            ErrorCode.REQUEST_INVALID,
                            ErrorCode.CSR_MALFORMED,
                            ErrorCode.CSR_SIGNATURE_INVALID,
                            ErrorCode.SIGNATURE_ALGORITHM_UNSUPPORTED);
            ResponseEntity<String> answer = CONTROLLER.refused(e);
            assertThat(answer.getStatusCode().is4xxClientError()).isTrue();
            assertThat(answer.getBody()).isEqualTo(e.code().name() + "\n");
        }
    }
}
