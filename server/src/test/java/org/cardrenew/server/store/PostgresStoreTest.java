package org.cardrenew.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;
import org.cardrenew.server.testsupport.PostgresSchema;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The store on PostgreSQL, in a fresh schema. */
class PostgresStoreTest extends StoreContractTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    @Override
    protected DataSource dataSource() {
        PostgresSchema schema = PostgresSchema.fresh();
        return new SimpleDriverDataSource(new org.postgresql.Driver(), schema.url(), schema.user(), schema.password());
    }

    /**
     * Every statement that moves a renewal on from one state finds its row by a column that names it (its id, or a key
     * hash of its own), however rare that state is in the statistics. With the state as a literal, the generic plan
     * PostgreSQL keeps for the server's sessions (PostgresPlanCache) took the literal's estimate, one row, and scanned
     * renewal_state_issued through every renewal in that state: with 2,000 renewals awaiting confirmation, about 1,760
     * buffers and 0.8–1.9 ms per confirmation instead of about 30 buffers and 0.04–0.11 ms (issue 14,
     * docs/BENCHMARKS.md).
     */
    @Test
    void aRenewalsTransitionsFindItsRowByTheKeyUnderTheServersGenericPlans() throws Exception {
        DataSource source = migrated(dataSource());
        JdbcClient db = JdbcClient.create(source);
        PairId first = pairOfNewHolder(db, "HP1", "林美玲");
        db.sql("""
                INSERT INTO card_pair (holder_id, status, created_at)
                SELECT 'HP1', 'SUPERSEDED', ? FROM generate_series(1, 400)""").param(Timestamps.of(NOW)).update();
        db.sql("""
                INSERT INTO renewal (id, old_pair_id, state, signing_key_sha256, encryption_key_sha256, signing_key,
                                     encryption_key, requested_at, issued_at, completed_at)
                SELECT md5(id::text)::uuid::text, id, 'COMPLETED', md5('s' || id), md5('e' || id), '\\x01'::bytea,
                       '\\x02'::bytea, ?, ?, ?
                FROM card_pair WHERE id <> ?""")
                .params(Timestamps.of(NOW), Timestamps.of(NOW), Timestamps.of(NOW), first.value())
                .update();
        db.sql("ANALYZE renewal").update();

        assertThat(RenewalRepository.TRANSITIONS).hasSize(4);
        try (Connection connection = source.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode = force_generic_plan");
            for (int i = 0; i < RenewalRepository.TRANSITIONS.size(); i++) {
                String sql = RenewalRepository.TRANSITIONS.get(i);
                int parameters = 0;
                StringBuilder numbered = new StringBuilder();
                for (char c : sql.toCharArray()) {
                    numbered.append(c == '?' ? "$" + ++parameters : String.valueOf(c));
                }
                statement.execute("PREPARE transition" + i + " AS " + numbered);
                StringBuilder plan = new StringBuilder();
                try (ResultSet rows = statement.executeQuery("EXPLAIN EXECUTE transition" + i + "("
                        + String.join(", ", Collections.nCopies(parameters, "NULL")) + ")")) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
                // By its id or by a key hash (each renewal's own: never certify a key twice), never by the state.
                assertThat(plan.toString())
                        .as(sql)
                        .containsPattern("Index Scan using (renewal_pkey|renewal_signing_key|renewal_encryption_key) ")
                        .doesNotContain("renewal_state_issued")
                        .doesNotContain("Seq Scan");
            }
        }
    }

    /**
     * V13: no renewal step takes a row lock on a reference table (a foreign key check would lock the one row of
     * 'REQUESTED' for every concurrent claim). V18: no CHECK constraint on the columns either (PostgreSQL prepares a
     * table's CHECK constraints anew in every statement that writes it); each column is of a domain whose constraint
     * allows exactly the reference table's values.
     */
    @Test
    void theEnumerationsARenewalWritesAreCheckedByADomainWithoutAForeignKeyOrACheck() {
        JdbcClient db = JdbcClient.create(migrated(dataSource()));
        String[][] enumerations = {
            {"card_pair", "status", "pair_status", "pair_status_value"},
            {"certificate", "kind", "certificate_kind", "certificate_kind_value"},
            {"renewal", "state", "renewal_state", "renewal_state_value"},
            {"audit_event", "outcome", "audit_outcome", "audit_outcome_value"},
            {"audit_pending", "outcome", "audit_outcome", "audit_outcome_value"}
        };
        for (String[] e : enumerations) {
            String column = e[0] + "." + e[1];
            assertThat(db.sql("""
                            SELECT COUNT(*) FROM pg_constraint
                            WHERE conrelid = to_regclass(?)
                              AND (contype = 'f' AND confrelid = to_regclass(?)
                                   OR contype = 'c' AND pg_get_constraintdef(oid) LIKE ?)""")
                            .params(e[0], e[2], "%" + e[1] + "%")
                            .query(Long.class)
                            .single())
                    .as("foreign key or CHECK on %s", column)
                    .isZero();
            assertThat(db.sql("""
                            SELECT t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                            WHERE a.attrelid = to_regclass(?) AND a.attname = ?""").params(e[0], e[1]).query(String.class).single())
                    .as("type of %s", column)
                    .isEqualTo(e[3]);
            List<String> values = db.sql("SELECT name FROM " + e[2] + " ORDER BY name")
                    .query(String.class)
                    .list();
            String check = db.sql("""
                            SELECT pg_get_constraintdef(oid) FROM pg_constraint
                            WHERE contypid = to_regtype(?) AND contype = 'c'""").param(e[3]).query(String.class).single();
            assertThat(check)
                    .as("the constraint of %s", e[3])
                    .contains(values.stream().map(v -> "'" + v + "'").toList());
            assertThat(check.split("'").length).as(check).isEqualTo(2 * values.size() + 1);
        }
    }

    /**
     * V18 on a database in use: no table or index is rewritten (an agency's upgrade must not copy its certificates
     * and audit trail under an exclusive lock) and the rows are kept.
     */
    @Test
    void theDomainsTakeTheColumnsOverWithoutRewritingATableOrAnIndex() {
        DataSource source = migratedTo(dataSource(), "17");
        JdbcClient db = JdbcClient.create(source);
        PairId pair = pairOfNewHolder(db, "HV18", "林志明");
        db.sql("INSERT INTO audit_event (seq, occurred_at, actor, action, outcome, prev_hash, hash) "
                        + "VALUES (1, ?, 'test', 'ENROLLED', 'SUCCESS', '00', 'h1')")
                .param(Timestamps.of(NOW))
                .update();
        String files = """
                SELECT c.relname || ':' || c.relfilenode FROM pg_class c
                WHERE c.oid IN (SELECT to_regclass(t) FROM unnest(?::text[]) t)
                   OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT to_regclass(t) FROM unnest(?::text[]) t))
                ORDER BY 1""";
        String[] tables = {"card_pair", "certificate", "renewal", "audit_event", "audit_pending"};
        List<String> before =
                db.sql(files).params(tables, tables).query(String.class).list();

        migrated(source);

        assertThat(db.sql(files).params(tables, tables).query(String.class).list())
                .hasSizeGreaterThan(tables.length)
                .isEqualTo(before);
        assertThat(db.sql("SELECT status FROM card_pair WHERE id = ?")
                        .param(pair.value())
                        .query(String.class)
                        .single())
                .isEqualTo("ACTIVE");
        assertThat(db.sql("SELECT outcome FROM audit_event WHERE seq = 1")
                        .query(String.class)
                        .single())
                .isEqualTo("SUCCESS");
    }
}
