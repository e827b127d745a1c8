package org.cardrenew.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** The RA API's records survive JSON both ways, with the field names and shapes the server and the page rely on. */
class WireJsonTest {

    /** Configured as {@link RaClient} configures its own. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Instant NOT_BEFORE = Instant.parse("2025-07-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2027-06-30T15:59:59Z");

    static Stream<Arguments> records() {
        Subject subject =
                new Subject("TW", "數位發展部", "王小明", "A123456789", "SERIALNUMBER=A123456789,CN=王小明,O=數位發展部,C=TW");
        return Stream.of(
                argumentSet("challenge", new ChallengeResponse("c-1", "bm9uY2U", NOT_BEFORE)),
                argumentSet("status-request", new StatusRequest("c-1", "MIIB", "c2ln", "SHA256withECDSA")),
                argumentSet(
                        "status/renewable",
                        new StatusResponse(
                                CertificateStatus.RENEWABLE,
                                subject,
                                "0a1b",
                                NOT_BEFORE,
                                NOT_AFTER,
                                NOT_AFTER.minusSeconds(30 * 86400),
                                "tok",
                                NOT_BEFORE.plusSeconds(600),
                                null,
                                null,
                                "可線上展期")),
                argumentSet(
                        "status/in-progress",
                        new StatusResponse(
                                CertificateStatus.RENEWAL_IN_PROGRESS,
                                subject,
                                "0a1b",
                                NOT_BEFORE,
                                NOT_AFTER,
                                NOT_AFTER,
                                "tok",
                                NOT_AFTER,
                                "r-1",
                                RenewalState.ISSUED,
                                "resume")),
                argumentSet(
                        "status/unknown without subject",
                        new StatusResponse(
                                CertificateStatus.UNKNOWN,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                "unknown")),
                argumentSet("renewal-request", new RenewalRequest("tok", "MIIC", "MIID")),
                argumentSet(
                        "renewal/issued",
                        new RenewalResponse(
                                "r-1",
                                RenewalState.ISSUED,
                                "MIIE",
                                "MIIF",
                                List.of("MIIG", "MIIH"),
                                NOT_BEFORE,
                                NOT_AFTER,
                                NOT_BEFORE.minusSeconds(1))),
                argumentSet(
                        "renewal/issued, no chain asked for",
                        new RenewalResponse(
                                "r-1",
                                RenewalState.ISSUED,
                                "MIIE",
                                "MIIF",
                                null,
                                NOT_BEFORE,
                                NOT_AFTER,
                                NOT_BEFORE.minusSeconds(1))),
                argumentSet(
                        "renewal/requested",
                        new RenewalResponse(
                                "r-1", RenewalState.REQUESTED, null, null, List.of(), null, null, NOT_AFTER)),
                argumentSet("confirmation", new ConfirmationRequest("c2ln", "SHA256withRSA")),
                argumentSet("error", new ApiError(ErrorCode.NOT_YET_RENEWABLE.name(), "尚未到展期期間")));
    }

    @ParameterizedTest
    @MethodSource("records")
    void recordSurvivesJsonBothWays(Record value) {
        String text = JSON.writeValueAsString(value);
        assertThat(JSON.readValue(text, value.getClass())).isEqualTo(value);
    }

    @Test
    void statusRequestHasTheDocumentedFieldNames() {
        assertThat(JSON.writeValueAsString(new StatusRequest("c-1", "MIIB", "c2ln", "SHA256withECDSA")))
                .isEqualTo(
                        "{\"challengeId\":\"c-1\",\"certificate\":\"MIIB\",\"signature\":\"c2ln\",\"signatureAlgorithm\":\"SHA256withECDSA\"}");
    }

    @Test
    void instantsAndEnumsTravelAsIsoTextAndNames() {
        assertThat(JSON.writeValueAsString(new ChallengeResponse("c-1", "bm9uY2U", NOT_AFTER)))
                .isEqualTo("{\"challengeId\":\"c-1\",\"nonce\":\"bm9uY2U\",\"expiresAt\":\"2027-06-30T15:59:59Z\"}");
        assertThat(JSON.writeValueAsString(new ApiError(ErrorCode.KEYS_IDENTICAL.name(), "same key")))
                .isEqualTo("{\"code\":\"KEYS_IDENTICAL\",\"message\":\"same key\"}");
    }

    @Test
    void anAnswerWithAFieldThisClientDoesNotKnowIsStillRead() {
        // A newer server may add fields; an installed agent must keep working.
        ApiError error =
                JSON.readValue("{\"code\":\"RATE_LIMITED\",\"message\":\"later\",\"retryAfter\":30}", ApiError.class);
        assertThat(error).isEqualTo(new ApiError("RATE_LIMITED", "later"));
    }

    @Test
    void everyErrorCodeHasAnHttpErrorStatus() {
        assertThat(ErrorCode.values())
                .allSatisfy(code -> assertThat(code.httpStatus()).isBetween(400, 599));
    }
}
