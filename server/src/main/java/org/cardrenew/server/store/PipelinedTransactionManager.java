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
 * {@link InsertsAtCommit} with its COMMIT. On PostgreSQL that saves a round trip per audited step (the step's audit
 * record and the COMMIT travel together): about a tenth of a millisecond of the machine's CPU each, the server's and
 * the database's together (issue 14, docs/BENCHMARKS.md, session 14).
 */
public class PipelinedTransactionManager extends JdbcTransactionManager {

    /** A suspended transaction's connection (Spring's) and queue (ours). */
    private record Suspended(Object connection, InsertsAtCommit.Queue queue) {}

    public PipelinedTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        super.doBegin(transaction, definition);
        InsertsAtCommit.open();
    }

    @Override
    protected Object doSuspend(Object transaction) {
        InsertsAtCommit.Queue queue = InsertsAtCommit.detach();
        return new Suspended(super.doSuspend(transaction), queue);
    }

    @Override
    protected void doResume(Object transaction, Object suspendedResources) {
        Suspended suspended = (Suspended) suspendedResources;
        super.doResume(transaction, suspended.connection());
        InsertsAtCommit.attach(suspended.queue());
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
        List<InsertsAtCommit.Insert> inserts = InsertsAtCommit.queued();
        if (!inserts.isEmpty()) {
            Connection connection = ((JdbcTransactionObjectSupport) status.getTransaction())
                    .getConnectionHolder()
                    .getConnection();
            try {
                InsertsAtCommit.send(connection, inserts, Databases.onPostgres(connection));
            } catch (SQLException e) {
                throw translateException("JDBC commit", e);
            }
        }
        // On PostgreSQL the COMMIT went with the inserts: the driver has no transaction open and sends nothing.
        super.doCommit(status);
    }

    @Override
    protected void doCleanupAfterCompletion(Object transaction) {
        InsertsAtCommit.detach();
        super.doCleanupAfterCompletion(transaction);
    }
}
