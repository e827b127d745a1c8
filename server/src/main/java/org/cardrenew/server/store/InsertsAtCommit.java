package org.cardrenew.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Single-row inserts that a transaction writes last and sends with its COMMIT (issue 14): on PostgreSQL the inserts
 * and the COMMIT go as one prepared statement, one round trip to the database instead of one per insert plus one for
 * the COMMIT; elsewhere (H2 in the same process) they run one by one just before the commit. Either way they are
 * committed with the transaction, or not at all.
 *
 * <p>Only an {@link Insert} of one row with its values qualifies: it inserts exactly that row or fails, so nothing is
 * left to check between it and the COMMIT. A failing insert fails the commit, and the transaction rolls back as a
 * whole. The queue exists only in transactions that {@link PipelinedTransactionManager} began; under any other
 * transaction manager, or outside a transaction, {@link #insert} writes at once, as a plain insert would.
 */
public final class InsertsAtCommit {

    /**
     * {@code INSERT INTO table (columns) VALUES (one row)}: checked once, when the repository declares it.
     */
    public record OneRowInsert(String sql) {

        public OneRowInsert {
            String words = sql.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
            if (!words.startsWith("INSERT INTO ")
                    || !words.contains(" VALUES (")
                    || words.contains(";")
                    || words.contains("SELECT")
                    || words.contains("),")) {
                throw new IllegalArgumentException("not an insert of one row with its values: " + sql);
            }
        }

        /** This insert with its arguments in order (typed nulls as {@code SqlParameterValue}, as the store passes them). */
        public Insert with(List<Object> args) {
            return new Insert(this, args);
        }
    }

    /** A {@link OneRowInsert} and its arguments. */
    public record Insert(OneRowInsert statement, List<Object> args) {

        public Insert {
            args = Collections.unmodifiableList(new ArrayList<>(args));
        }

        String sql() {
            return statement.sql();
        }
    }

    /** The queue of the transaction in progress, bound while the transaction manager has it open. */
    static final class Queue {
        private final List<Insert> inserts = new ArrayList<>(2);
    }

    private static final Object KEY = InsertsAtCommit.class;

    private InsertsAtCommit() {}

    /**
     * Writes {@code insert} with the commit of the transaction in progress, when {@link PipelinedTransactionManager}
     * began it; at once through {@code jdbc} otherwise.
     */
    public static void insert(Insert insert, JdbcClient jdbc) {
        Queue queue = (Queue) TransactionSynchronizationManager.getResource(KEY);
        if (queue == null) {
            jdbc.sql(insert.sql()).params(insert.args()).update();
            return;
        }
        queue.inserts.add(insert);
    }

    /** A new transaction begins: its queue, empty. */
    static void open() {
        attach(new Queue());
    }

    /** Unbinds the queue of the transaction in progress (suspended or ended); null when none was bound. */
    static Queue detach() {
        return (Queue) TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
    }

    /** Binds a suspended transaction's queue again when that transaction resumes. */
    static void attach(Queue queue) {
        if (queue != null) {
            TransactionSynchronizationManager.bindResource(KEY, queue);
        }
    }

    /** What the transaction in progress queued, in order (its own list); empty when nothing (or no queue). */
    static List<Insert> queued() {
        Queue queue = (Queue) TransactionSynchronizationManager.getResource(KEY);
        return queue == null ? List.of() : queue.inserts;
    }

    /**
     * Sends the inserts and, on PostgreSQL, the COMMIT after them as one statement: PostgreSQL runs every part up to
     * the protocol's one Sync message, and stops at the first that fails, so a failed insert leaves the transaction
     * aborted and uncommitted (the transaction manager rolls it back). Once they succeed, the driver sees no
     * transaction open and its own commit has nothing to send.
     */
    static void send(Connection connection, List<Insert> inserts, boolean postgres) throws SQLException {
        if (postgres) {
            StringBuilder sql = new StringBuilder();
            List<Object> args = new ArrayList<>();
            for (Insert insert : inserts) {
                sql.append(insert.sql()).append(";\n");
                args.addAll(insert.args());
            }
            sql.append("COMMIT");
            run(connection, sql.toString(), args);
            return;
        }
        for (Insert insert : inserts) {
            run(connection, insert.sql(), insert.args());
        }
    }

    private static void run(Connection connection, String sql, List<Object> args) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            ArgumentPreparedStatementSetter setter = new ArgumentPreparedStatementSetter(args.toArray());
            setter.setValues(statement);
            statement.execute();
            setter.cleanupParameters();
        }
    }
}
