package org.cardrenew.server.web;

import org.springframework.test.context.TestPropertySource;

/** The statements per step on H2, in a database of its own (the counting proxy makes a context of its own). */
@TestPropertySource(
        properties = {
            "cardrenew.data-dir=target/test-data/h2-sql-per-step",
            "spring.datasource.url=jdbc:h2:mem:cardrenew-sql-per-step;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
        })
class SqlPerStepOnH2Test extends SqlPerStepContract {
    @Override
    protected boolean onPostgres() {
        return false;
    }
}
