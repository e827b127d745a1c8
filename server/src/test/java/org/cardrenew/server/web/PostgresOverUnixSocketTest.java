package org.cardrenew.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.cardrenew.protocol.ConfirmationResponse;
import org.cardrenew.protocol.RenewalResponse;
import org.cardrenew.protocol.RenewalState;
import org.cardrenew.server.store.AuditRecord;
import org.cardrenew.server.testsupport.ApiTestBase;
import org.cardrenew.server.testsupport.PostgresSchema;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PostgreSQL on the node's own machine, reached through its Unix-domain socket (docs/OPERATIONS.md): the schema is
 * migrated and a card renewed end to end over the socket, with the sessions' usual settings.
 */
class PostgresOverUnixSocketTest extends ApiTestBase {

    @Autowired
    private JdbcClient jdbc;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        usePostgres(registry, PostgresSchema.fresh().throughSocket());
    }

    @Test
    void theServersSessionsComeThroughTheSocket() {
        // A session over a Unix-domain socket has no server address; over TCP it has one.
        assertThat(jdbc.sql("SELECT inet_server_addr() IS NULL")
                        .query(Boolean.class)
                        .single())
                .isTrue();
        // PostgresPlanCache's start-up option travels over the socket too.
        assertThat(jdbc.sql("SHOW plan_cache_mode").query(String.class).single())
                .isEqualTo("force_generic_plan");
    }

    @Test
    void aCardRenewsThroughTheSocket() throws Exception {
        Issued renewal = issuedRenewal();
        RenewalResponse issued = renewal.answer();
        assertThat(issued.state()).isEqualTo(RenewalState.ISSUED);
        ConfirmationResponse confirmed = confirm(issued.renewalId(), renewal.next());
        assertThat(confirmed.state()).isEqualTo(RenewalState.COMPLETED);
        // Every decision chained, through the socket as well.
        assertThat(auditRecords.all().stream()
                        .filter(r -> issued.renewalId().equals(r.renewalId()))
                        .map(AuditRecord::action))
                .containsExactly("ISSUANCE_INTENDED", "RENEWAL_ISSUED", "RENEWAL_CONFIRMED");
    }
}
