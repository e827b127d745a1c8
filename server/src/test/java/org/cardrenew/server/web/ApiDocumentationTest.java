package org.cardrenew.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.OnH2;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What operators and integrators reach without a card: the OpenAPI document, the CA chain, health. */
@OnH2
class ApiDocumentationTest extends ApiTestBase {

    @Test
    void theOpenApiDocumentDescribesEveryPathAndErrorCode() throws Exception {
        HttpResponse<String> docs = get("/v3/api-docs");

        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body())
                .contains(
                        ApiPaths.CHALLENGES,
                        ApiPaths.STATUS,
                        ApiPaths.RENEWALS,
                        ApiPaths.RENEWAL,
                        ApiPaths.CONFIRMATION,
                        ApiPaths.ENROLLMENTS,
                        ApiPaths.CA_CERTIFICATES);
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(docs.body()).contains(code.name());
        }
        assertThat(docs.body()).contains("\"summary\":\"Renew both certificates of the card\"");
        // The confirmation answer is the lean one: serials and dates, no certificates or chain.
        JsonNode document = JsonMapper.builder().build().readTree(docs.body());
        JsonNode schemas = document.path("components").path("schemas");
        // The renewal answer's CA chain is an opt-in, documented on both operations that return it.
        for (JsonNode operation : List.of(
                document.path("paths").path(ApiPaths.RENEWALS).path("post"),
                document.path("paths").path(ApiPaths.RENEWAL).path("get"))) {
            List<String> parameters = new ArrayList<>();
            operation
                    .path("parameters")
                    .forEach(p -> parameters.add(p.path("name").asString()));
            assertThat(parameters).contains(ApiPaths.INCLUDE);
            assertThat(operation.path("description").asString()).contains("?include=chain");
        }
        List<String> confirmation = new ArrayList<>();
        schemas.path("ConfirmationResponse").path("properties").propertyNames().forEach(confirmation::add);
        assertThat(confirmation)
                .containsExactlyInAnyOrder(
                        "renewalId",
                        "state",
                        "signingSerial",
                        "encryptionSerial",
                        "notBefore",
                        "notAfter",
                        "previousNotAfter");
    }

    @Test
    void theCaChainIsAPemBundleIssuingFirst() throws Exception {
        HttpResponse<String> pem = get(ApiPaths.CA_CERTIFICATES);

        assertThat(pem.statusCode()).isEqualTo(200);
        assertThat(pem.headers().firstValue("Content-Type"))
                .get()
                .asString()
                .startsWith("application/pem-certificate-chain");
        assertThat(pem.body().split("-----BEGIN CERTIFICATE-----", -1)).hasSize(3);
    }

    @Test
    void healthIsPublicAndOtherActuatorEndpointsAreNot() throws Exception {
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        client.challenge();
        assertThat(get("/actuator/prometheus").statusCode())
                .as("metrics need the admin token")
                .isEqualTo(401);
        HttpResponse<String> prometheus = get("/actuator/prometheus", "Authorization", "Bearer " + ADMIN_TOKEN);
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body())
                .contains("cardrenew_challenges_issued_total")
                .contains("http_server_requests_seconds_count{")
                .as("Spring Security's per-filter observations are off")
                .doesNotContain("spring_security_filterchains");
        assertThat(get("/actuator/env").statusCode()).isIn(401, 403, 404);
    }
}
