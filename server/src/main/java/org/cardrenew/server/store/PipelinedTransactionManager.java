package org.cardrenew.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * The server's transactions: Spring's JDBC transaction manager, which also sends each transaction's
 * {@link WritesAtCommit} with its COMMIT. On PostgreSQL that saves a round trip per audited step (the step's audit
 * record and the COMMIT travel together): about a tenth of a millisecond of the machine's CPU each, the server's and
 * the database's together (issue 14, docs/BENCHMARKS.md, session 14).
 */
public class PipelinedTransactionManager extends JdbcTransactionManager {

    /** A suspended transaction's connection (Spring's) and queue (ours). */
    private record Suspended(Object connection, WritesAtCommit.Queue queue) {}

    public PipelinedTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        super.doBegin(transaction, definition);
        WritesAtCommit.open();
    }

    @Override
    protected Object doSuspend(Object transaction) {
        WritesAtCommit.Queue queue = WritesAtCommit.detach();
        return new Suspended(super.doSuspend(transaction), queue);
    }

    @Override
    protected void doResume(Object transaction, Object suspendedResources) {
        Suspended suspended = (Suspended) suspendedResources;
        super.doResume(transaction, suspended.connection());
        WritesAtCommit.attach(suspended.queue());
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
        List<WritesAtCommit.Write> writes = WritesAtCommit.queued();
        if (!writes.isEmpty()) {
            Connection connection = ((JdbcTransactionObjectSupport) status.getTransaction())
                    .getConnectionHolder()
                    .getConnection();
            try {
                WritesAtCommit.send(connection, writes, Databases.onPostgres(connection));
            } catch (SQLException e) {
                throw translateException("JDBC commit", e);
            }
        }
        // On PostgreSQL the COMMIT went with the writes: the driver has no transaction open and sends nothing.
        super.doCommit(status);
    }

    @Override
    protected void doCleanupAfterCompletion(Object transaction) {
        WritesAtCommit.detach();
        super.doCleanupAfterCompletion(transaction);
    }
}
