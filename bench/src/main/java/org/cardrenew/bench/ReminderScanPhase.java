package org.cardrenew.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reminder scan over N certificate pairs (issue 6): seeds N card pairs straight into the running server's
 * PostgreSQL schema with generate_series (as the server's ReminderScanBenchmark does), then times the server's own
 * scan through {@code POST /api/v1/admin/reminders/scans}: the first scan, which creates every due reminder, and the
 * same scan again, the steady state of a node scanning every hour.
 */
final class ReminderScanPhase {

    /**
     * Seeded card pair ids are {@code ID_BASE + 1 .. ID_BASE + N}, certificate ids twice that: far above the identity
     * values of the few thousand pairs the renewal phase enrolled, so neither can collide. Holder ids, serials and key
     * hashes carry a {@code bench-} prefix, which no hex serial or SHA-256 of the server's can have.
     */
    static final long ID_BASE = 1_000_000_000L;
    /** notAfter spread evenly over this many days, starting a year ago: about 1/730 of the pairs expire each day. */
    static final int SPREAD_DAYS = 730;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReminderScanPhase() {}

    /** One seeding statement and how long it took. */
    record Step(String what, long rows, double seconds) {}

    /** One scan as the server reported it, and the bench's wall clock around the HTTP call. */
    record Scan(
            int created, int cancelled, int skipped, long serverMillis, double wallSeconds, Map<String, Long> outbox) {}

    record Result(long pairs, Instant seededAt, List<Step> seeding, Scan first, Scan again) {

        double seedSeconds() {
            return seeding.stream().mapToDouble(Step::seconds).sum();
        }
    }

    /**
     * Seeds {@code pairs} pairs relative to the real current time (the server scans with the real clock), analyzes
     * the tables, and runs the scan twice through the admin API.
     */
    static Result run(
            String pgUrl, String pgUser, String pgPassword, long pairs, HttpClient http, URI server, String adminToken)
            throws SQLException, IOException, InterruptedException {
        Instant now = Instant.now();
        List<Step> steps = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(pgUrl, pgUser, pgPassword)) {
            db.setAutoCommit(true);
            OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
            // Every 50th holder has no e-mail address (listed for administrators, never mailed).
            steps.add(seed(db, "holders", pairs, at, """
                    INSERT INTO holder (holder_id, name, organization, email, language, created_at, updated_at)
                    SELECT 'bench-' || g, 'Holder ' || g, 'Agency ' || (g % 100),
                           CASE WHEN g % 50 = 0 THEN NULL ELSE 'h' || g || '@example.gov.tw' END,
                           CASE WHEN g % 2 = 0 THEN 'zh-TW' ELSE 'en' END, ?, ?
                    FROM generate_series(1, ?) g""", 2));
            // Every 100th pair was renewed: SUPERSEDED, with a COMPLETED renewal below.
            steps.add(seed(db, "pairs", pairs, at, """
                    INSERT INTO card_pair (id, holder_id, status, created_at)
                    SELECT %d + g, 'bench-' || g, CASE WHEN g %% 100 = 0 THEN 'SUPERSEDED' ELSE 'ACTIVE' END, ?
                    FROM generate_series(1, ?) g""".formatted(ID_BASE), 1));
            steps.add(seed(db, "certificates", pairs, at, """
                    INSERT INTO certificate (id, pair_id, kind, serial, subject_dn, not_before, not_after, spki_sha256, der)
                    SELECT 2 * (%d + g) - k, %d + g, CASE WHEN k = 1 THEN 'SIGNING' ELSE 'ENCRYPTION' END,
                           'bench-' || g || '-' || k, 'C=TW,O=Agency,CN=Holder ' || g || ',SERIALNUMBER=bench-' || g,
                           ?::timestamptz - INTERVAL '1095 days',
                           ?::timestamptz - INTERVAL '365 days' + (g %% %d) * INTERVAL '1 day'
                               + (g %% 86400) * INTERVAL '1 second',
                           'bench-spki-' || g || '-' || k, '\\x3000'::bytea
                    FROM generate_series(1, ?) g CROSS JOIN (VALUES (1), (0)) AS kinds(k)""".formatted(ID_BASE, ID_BASE, SPREAD_DAYS), 2));
            steps.add(seed(db, "renewals", pairs, at, """
                    INSERT INTO renewal (id, old_pair_id, state, signing_key_sha256, encryption_key_sha256, signing_key,
                                         encryption_key, requested_at, issued_at, completed_at)
                    SELECT md5('bench-renewal-' || g)::uuid::text, %d + g, 'COMPLETED', md5('s' || g) || md5('t' || g),
                           md5('e' || g) || md5('f' || g), '\\x30'::bytea, '\\x30'::bytea, ?, ?, ?
                    FROM generate_series(100, ?, 100) g""".formatted(ID_BASE), 3));
            // Only this schema's tables (a bare ANALYZE would visit every schema of the database).
            long a0 = System.nanoTime();
            try (Statement s = db.createStatement()) {
                s.execute("ANALYZE holder, card_pair, certificate, renewal, reminder");
            }
            steps.add(new Step("ANALYZE", 0, (System.nanoTime() - a0) / 1e9));
        }
        BenchMain.progress("reminder scan through the admin API: first run");
        Scan first = scan(http, server, adminToken);
        BenchMain.progress("reminder scan through the admin API: again (steady state)");
        Scan again = scan(http, server, adminToken);
        return new Result(pairs, now, steps, first, again);
    }

    private static Step seed(Connection db, String what, long pairs, OffsetDateTime at, String sql, int timestamps)
            throws SQLException {
        BenchMain.progress("seeding " + what);
        long t0 = System.nanoTime();
        try (PreparedStatement insert = db.prepareStatement(sql)) {
            int i = 1;
            for (; i <= timestamps; i++) {
                insert.setObject(i, at);
            }
            insert.setLong(i, pairs);
            long rows = insert.executeLargeUpdate();
            return new Step(what, rows, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** One {@code POST /api/v1/admin/reminders/scans}: the server runs the scan and answers when it is done. */
    static Scan scan(HttpClient http, URI server, String adminToken) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/api/v1/admin/reminders/scans"))
                .header("Authorization", "Bearer " + adminToken)
                .timeout(Duration.ofMinutes(15))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double wall = (System.nanoTime() - t0) / 1e9;
        if (response.statusCode() != 200) {
            throw new IOException(
                    "POST /api/v1/admin/reminders/scans answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body(), wall);
    }

    /** The server's answer ({@code ReminderScanRun}) with the bench's wall-clock seconds. */
    static Scan parse(String body, double wallSeconds) {
        JsonNode json = JSON.readTree(body);
        Map<String, Long> outbox = new LinkedHashMap<>();
        json.get("outbox")
                .properties()
                .forEach(e -> outbox.put(e.getKey(), e.getValue().asLong()));
        return new Scan(
                json.get("created").asInt(),
                json.get("cancelled").asInt(),
                json.get("skipped").asInt(),
                json.get("tookMillis").asLong(),
                wallSeconds,
                outbox);
    }
}
