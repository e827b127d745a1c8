package org.cardrenew.server.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.cardrenew.server.CardRenewServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The server behind coverage-guided fuzz tests of its endpoints (issue 13 item 10, docs/FUZZING.md): one Spring
 * context on in-memory H2 shared by every fuzz class, requests through MockMvc, rate limits off so that the fuzzer
 * reaches the parsers. The invariant every endpoint keeps: an answer below 500, and no renewal state written.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.MOCK,
        classes = {CardRenewServer.class, TestClockConfiguration.class},
        properties = {
            "cardrenew.admin.token=" + ApiTestBase.ADMIN_TOKEN,
            "cardrenew.ca.keystore-password=test-ca-password",
            "cardrenew.ca.key-type=p256",
            "cardrenew.reminders.enabled=false",
            "cardrenew.rate-limit.enabled=false",
            "cardrenew.data-dir=target/test-data/fuzz",
            "spring.datasource.url=jdbc:h2:mem:cardrenew-fuzz;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH",
            // a fuzzer sends thousands of refusals a second: keep the log to what matters
            "logging.level.org.cardrenew=WARN",
            "logging.level.org.springframework=WARN"
        })
@AutoConfigureMockMvc
public abstract class FuzzTarget {

    /** Binary answers that echo request bytes: application/pkixcmp (RFC 6712) and application/ocsp-response. */
    private static final Set<String> ECHOING_TYPES = Set.of("pkixcmp", "ocsp-response");

    @Autowired
    protected MockMvc mvc;

    @Autowired
    private JdbcClient jdbc;

    /**
     * Rows that only an accepted request may add: holders, card pairs, certificates, renewals and renewal tokens (stored
     * with a challenge's use once its signature proved possession).
     */
    protected long renewalState() {
        return jdbc.sql("""
                SELECT (SELECT COUNT(*) FROM holder) + (SELECT COUNT(*) FROM card_pair)
                     + (SELECT COUNT(*) FROM certificate) + (SELECT COUNT(*) FROM renewal)
                     + (SELECT COUNT(*) FROM challenge WHERE token_sha256 IS NOT NULL)""").query(Long.class).single();
    }

    /**
     * A clear answer: not a server error, and no stack trace or exception name in a text body. A CMP or OCSP answer is
     * DER that echoes what the client sent (a CMP error carries the request's transactionID and senderNonce, RFC 4210
     * §5.1.1; an OCSP response the nonce, RFC 8954), so a fuzzer can put "Exception" in it through the request alone:
     * the target that parses such an answer checks its texts with {@link #assertNoInternals} instead.
     */
    protected static void assertRefusedCleanly(MvcResult result) throws Exception {
        assertThat(result.getResponse().getStatus()).as("HTTP status").isLessThan(500);
        String type = result.getResponse().getContentType();
        if (type == null
                || !ECHOING_TYPES.contains(MediaType.parseMediaType(type).getSubtype())) {
            assertNoInternals(result.getResponse().getContentAsString());
        }
    }

    /** No exception name or stack trace in a text the server wrote. */
    protected static void assertNoInternals(String text) {
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat org.");
    }
}
