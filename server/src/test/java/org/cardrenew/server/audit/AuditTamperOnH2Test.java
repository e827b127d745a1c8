package org.cardrenew.server.audit;

import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** Audit tampering on embedded H2 (no database-side guard there: the chain and checkpoints are the defence). */
class AuditTamperOnH2Test extends AuditTamperContract {

    @Override
    protected DataSource dataSource() {
        return new SimpleDriverDataSource(
                new org.h2.Driver(),
                "jdbc:h2:mem:audit-" + UUID.randomUUID()
                        + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "sa",
                "");
    }

    @Override
    protected void tamper(String... statements) {
        for (String sql : statements) {
            jdbc.sql(sql).update();
        }
    }
}
