package org.cardrenew.agent.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Coverage-guided fuzzing of the bridge's request bodies (issue 13 item 10, docs/FUZZING.md): anything a page sends
 * is read as a flat object of strings or refused as a bad request (400 with the bridge's code), never another
 * exception; the PIN never lands among the String fields. Seeds:
 * src/test/resources/org/cardrenew/agent/bridge/BridgeJsonFuzzTestInputs.
 */
class BridgeJsonFuzzTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @FuzzTest(maxDuration = "10s")
    void anyBodyIsAFlatObjectOrABadRequest(byte[] body) throws IOException {
        try (RequestBody parsed = RequestBody.read(new ByteArrayInputStream(body), JSON)) {
            assertThat(parsed.field("pin")).as("the PIN is never a String").isNull();
            char[] pin = parsed.takePin();
            assertThat(pin == null || pin.length > 0).isTrue();
        } catch (RequestBody.BadRequest e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
