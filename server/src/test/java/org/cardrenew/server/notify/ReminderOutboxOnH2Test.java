package org.cardrenew.server.notify;

import javax.sql.DataSource;
import org.cardrenew.server.testsupport.H2Memory;

/** The reminder outbox on embedded H2 in PostgreSQL mode, as the server runs by default. */
class ReminderOutboxOnH2Test extends ReminderOutboxContract {

    @Override
    protected DataSource dataSource() {
        return H2Memory.fresh("reminders");
    }
}
