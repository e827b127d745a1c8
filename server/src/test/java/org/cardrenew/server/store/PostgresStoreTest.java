package org.cardrenew.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.cardrenew.server.testsupport.PostgresSchema;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The store on PostgreSQL, in a fresh schema. */
class PostgresStoreTest extends StoreContractTest {

    @Override
    protected DataSource dataSource() {
        PostgresSchema schema = PostgresSchema.fresh();
        return new SimpleDriverDataSource(new org.postgresql.Driver(), schema.url(), schema.user(), schema.password());
    }

    /**
     * V13: no renewal step takes a row lock on a reference table (a foreign key check would lock the one row of
     * 'REQUESTED' for every concurrent claim); the CHECK constraints keep the same values.
     */
    @Test
    void theEnumerationsARenewalWritesAreCheckedWithoutAForeignKey() {
        JdbcClient db = JdbcClient.create(migrated(dataSource()));
        String constraints = """
                SELECT COUNT(*) FROM pg_constraint
                WHERE contype = ? AND conrelid = to_regclass(?)
                  AND (confrelid = to_regclass(?) OR conname = ?)""";
        String[][] enumerations = {
            {"card_pair", "pair_status", "card_pair_status_allowed"},
            {"certificate", "certificate_kind", "certificate_kind_allowed"},
            {"renewal", "renewal_state", "renewal_state_allowed"},
            {"audit_event", "audit_outcome", "audit_event_outcome_allowed"}
        };
        for (String[] e : enumerations) {
            assertThat(db.sql(constraints)
                            .params("f", e[0], e[1], "-")
                            .query(Long.class)
                            .single())
                    .as("foreign key from %s to %s", e[0], e[1])
                    .isZero();
            assertThat(db.sql(constraints)
                            .params("c", e[0], "-", e[2])
                            .query(Long.class)
                            .single())
                    .as(e[2])
                    .isEqualTo(1);
        }
    }
}
