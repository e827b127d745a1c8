package org.cardrenew.server.testsupport;

import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** A fresh embedded H2 database in PostgreSQL mode, as the server runs by default, for a store test of its own. */
public final class H2Memory {

    private H2Memory() {}

    /** A new in-memory database named after {@code purpose}, kept until the JVM exits. */
    public static DataSource fresh(String purpose) {
        return new SimpleDriverDataSource(
                new org.h2.Driver(),
                "jdbc:h2:mem:" + purpose + "-" + UUID.randomUUID()
                        + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "sa",
                "");
    }
}
