package org.cardrenew.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

class PostgresPlanCacheTest {

    @Test
    void onlyAPostgresPoolGetsTheStartUpOption() throws Exception {
        HikariDataSource postgres = new HikariDataSource();
        postgres.setJdbcUrl("jdbc:postgresql://db.example:5432/cardrenew");
        HikariDataSource h2 = new HikariDataSource();
        h2.setJdbcUrl("jdbc:h2:mem:x");

        PostgresPlanCache.postgresPlanCacheMode().postProcessBeforeInitialization(postgres, "dataSource");
        PostgresPlanCache.postgresPlanCacheMode().postProcessBeforeInitialization(h2, "dataSource");

        assertThat(postgres.getDataSourceProperties()).containsEntry("options", PostgresPlanCache.OPTIONS);
        assertThat(h2.getDataSourceProperties()).doesNotContainKey("options");
        assertThat(PostgresPlanCache.isPostgres(null)).isFalse();
    }
}
