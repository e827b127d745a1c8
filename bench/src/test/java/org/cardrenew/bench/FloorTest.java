package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FloorTest {

    @Test
    void theTransportFloorsMessagesHaveTheSizesOfTheLoadsCalls() {
        for (TransportFloor.Exchange e : TransportFloor.RENEWAL) {
            byte[] request = TransportFloor.request(e);
            byte[] answer = TransportFloor.answer(e.answerBytes());

            assertThat(request).hasSize(e.requestBytes());
            assertThat(answer).hasSize(e.answerBytes());
            String text = new String(request, StandardCharsets.US_ASCII);
            int body = text.length() - text.indexOf("\r\n\r\n") - 4;
            assertThat(text).contains("Content-Length: " + body + "\r\n", "X-Answer-Length: " + e.answerBytes());
        }
    }

    @Test
    void theTransportFloorCountsWholeRenewalsOfExchanges() throws Exception {
        TransportFloor.Result r = TransportFloor.run(
                List.of(new TransportFloor.Exchange(300, 200), new TransportFloor.Exchange(1500, 2600)),
                2,
                Duration.ofMillis(200),
                Duration.ofMillis(800));

        assertThat(r.exchanges()).isPositive();
        assertThat(r.exchangesPerRenewal()).isEqualTo(2);
        assertThat(r.cpuSeconds()).isPositive();
        assertThat(r.millisPerRenewal()).isEqualTo(1000 * r.cpuSeconds() * 2 / r.exchanges());
    }

    @Test
    void theCeilingIsTheCryptosShareWhenOnlyTheFloorsAreBesideIt() {
        assertThat(BenchMain.ratioCeiling(1.6, 0.8, 0.0)).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(BenchMain.ratioCeiling(1.5, 1.0, 0.5)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void theRenewalsCallsAreTakenFromTheLoadAndTheSessionsSizesWithoutIt() {
        var traffic = List.of(
                new KeepAliveTransport.Traffic("POST /api/v1/challenges", 100, 125.4, 348.6, 184),
                new KeepAliveTransport.Traffic("GET /actuator/prometheus", 3, 200, 90_000, 89_800),
                new KeepAliveTransport.Traffic("POST /api/v1/status", 100, 1519, 820, 655));

        assertThat(BenchMain.renewalCalls(traffic))
                .containsExactly(new TransportFloor.Exchange(125, 349), new TransportFloor.Exchange(1519, 820));
        assertThat(BenchMain.renewalCalls(List.of())).isEqualTo(TransportFloor.RENEWAL);
    }

    @Test
    void thePostgresFloorCommitsFourAuditedStepsPerRenewalAndLeavesNoSchema() throws Exception {
        String url = env("CARDRENEW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/cardrenew_test");
        String user = env("CARDRENEW_TEST_PG_USER", "cardrenew_test");
        String password = env("CARDRENEW_TEST_PG_PASSWORD", "cardrenew_test");

        String name = "cardrenew-bench-floor-test";
        // The bench's URL names the server's schema; the floor's sessions must work in the floor's own all the same.
        DurableFloor.Result r = DurableFloor.run(
                url,
                url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + name + "&currentSchema=public",
                name,
                user,
                password,
                2,
                Duration.ofMillis(300),
                Duration.ofSeconds(1));

        assertThat(r.renewals()).isPositive();
        assertThat(r.postgresCpuSeconds()).isPositive();
        // Every renewal of the run, warm-up included, completed its claim and wrote its four audit records.
        assertThat(r.claims()).isGreaterThanOrEqualTo(r.renewals());
        assertThat(r.auditRecords()).isEqualTo(4 * r.claims());
        try (var c = DriverManager.getConnection(url, user, password);
                var s = c.prepareStatement("SELECT COUNT(*) FROM pg_namespace WHERE nspname LIKE ?")) {
            s.setString(1, "floor\\_" + ProcessHandle.current().pid() + "\\_%");
            try (var rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }
}
