package org.cardrenew.server.store;

import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** {@link InsertsAtCommit} on embedded H2: the inserts run one by one just before the commit. */
class InsertsAtCommitOnH2Test extends InsertsAtCommitContract {

    @Override
    protected DataSource dataSource() {
        return new SimpleDriverDataSource(
                new org.h2.Driver(),
                "jdbc:h2:mem:commit-" + UUID.randomUUID()
                        + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "sa",
                "");
    }
}
