package org.cardrenew.server.notify;

import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The reminder outbox on embedded H2 in PostgreSQL mode, as the server runs by default. */
class ReminderOutboxOnH2Test extends ReminderOutboxContract {

    @Override
    protected DataSource dataSource() {
        return new SimpleDriverDataSource(
                new org.h2.Driver(),
                "jdbc:h2:mem:reminders-" + UUID.randomUUID()
                        + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "sa",
                "");
    }
}
