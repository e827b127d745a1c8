package org.cardrenew.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.ClientAddress;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.OnH2;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The audit verification endpoint in the real server: admin token required, an intact trail verifies. */
@OnH2
class AuditVerificationApiTest extends ApiTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void verificationWithoutTheAdminTokenIsRefused() throws Exception {
        assertThat(send("GET", "/api/v1/admin/audit/verification", null).statusCode())
                .isEqualTo(401);
        assertThat(send("POST", "/api/v1/admin/audit/checkpoints", null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void anAdministratorSignsTheHeadAndSeesTheWholeTrailVerify() throws Exception {
        audit.record(AuditEvent.success(AuditEvent.ADMIN, AuditAction.REMINDER_RESENT, new ClientAddress("127.0.0.1"))
                .detail("audit verification test"));
        HttpResponse<String> signed = send("POST", "/api/v1/admin/audit/checkpoints", ADMIN_TOKEN);
        assertThat(signed.statusCode()).isEqualTo(200);
        long signedSeq = JSON.readTree(signed.body()).get("seq").asLong();
        assertThat(send("POST", "/api/v1/admin/audit/checkpoints", ADMIN_TOKEN).statusCode())
                .isEqualTo(204);

        HttpResponse<String> response = send("GET", "/api/v1/admin/audit/verification", ADMIN_TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("ok").asBoolean()).as(response.body()).isTrue();
        assertThat(body.get("firstBadSeq").isNull()).isTrue();
        assertThat(body.get("signedUpTo").asLong()).isGreaterThanOrEqualTo(signedSeq);
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
