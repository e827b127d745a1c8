package org.cardrenew.server.store;

import javax.sql.DataSource;
import org.cardrenew.server.testsupport.PostgresSchema;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The store on PostgreSQL, in a fresh schema. */
class PostgresStoreTest extends StoreContractTest {

    @Override
    protected DataSource dataSource() {
        PostgresSchema schema = PostgresSchema.fresh();
        return new SimpleDriverDataSource(new org.postgresql.Driver(), schema.url(), schema.user(), schema.password());
    }
}
