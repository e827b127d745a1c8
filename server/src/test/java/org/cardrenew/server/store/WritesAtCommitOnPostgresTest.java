package org.cardrenew.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.cardrenew.server.testsupport.PostgresSchema;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link WritesAtCommit} on PostgreSQL: the writes and the COMMIT in one statement, so the driver's own commit finds
 * no transaction open and sends nothing (one round trip less per audited transaction).
 */
class WritesAtCommitOnPostgresTest extends WritesAtCommitContract {

    /** The driver's transaction state each time a transaction manager called {@link Connection#commit()}. */
    private final List<TransactionState> atCommit = new CopyOnWriteArrayList<>();

    @Override
    protected DataSource dataSource() {
        PostgresSchema schema = PostgresSchema.fresh();
        DataSource driver =
                new SimpleDriverDataSource(new org.postgresql.Driver(), schema.url(), schema.user(), schema.password());
        return new DelegatingDataSource(driver) {
            @Override
            public Connection getConnection() throws SQLException {
                return watched(super.getConnection());
            }
        };
    }

    @Test
    void theCommitTravelsWithTheInsertsAndTheDriverHasNothingLeftToSend() {
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        HolderRepository holders = new HolderRepository(jdbc);

        atCommit.clear();
        transaction.executeWithoutResult(status -> holders.save(
                new Holder(
                        new HolderId("H" + UUID.randomUUID().toString().substring(0, 8)), "王小明", "內政部", null, "zh-TW"),
                Instant.parse("2026-12-07T05:00:00Z")));
        assertThat(atCommit).as("nothing queued: the driver commits").containsExactly(TransactionState.OPEN);

        atCommit.clear();
        aRecordIsCommittedWithTheWritesOfItsTransaction();
        assertThat(atCommit).as("a record queued: its COMMIT went with it").containsExactly(TransactionState.IDLE);
    }

    private Connection watched(Connection connection) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        atCommit.add(connection.unwrap(BaseConnection.class).getTransactionState());
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
