package org.cardrenew.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes that a transaction sends last, with its COMMIT (issue 14): on PostgreSQL the writes and the COMMIT go as one
 * prepared statement, one round trip to the database instead of one per write plus one for the COMMIT; elsewhere (H2
 * in the same process) they run one by one just before the commit. Either way they are committed with the
 * transaction, or not at all.
 *
 * <p>Only a write whose outcome nothing reads but its success qualifies, so that nothing is left to check between it
 * and the COMMIT: a {@link OneRowInsert} (it inserts exactly that row or fails), an {@link UncheckedUpdate} (an
 * idempotent step, where "no row matched" is as good as "updated") or a {@link GuardedWrite} (it writes its one row
 * or, when its condition does not hold, fails). A failing write fails the commit, and the transaction rolls back as a
 * whole. The queue exists only in transactions that {@link PipelinedTransactionManager}
 * began; under any other transaction manager, or outside a transaction, {@link #write} runs the statement at once, as
 * a plain statement would.
 */
public final class WritesAtCommit {

    /** A statement that may wait for the commit, checked once when the repository declares it. */
    public sealed interface Deferrable permits OneRowInsert, UncheckedUpdate, GuardedWrite {

        String sql();

        /** This statement with its arguments in order (nulls typed as {@code SqlParameterValue}). */
        default Write with(List<Object> args) {
            return new Write(this, args);
        }
    }

    /**
     * {@code INSERT INTO table (columns) VALUES (one row)}.
     */
    public record OneRowInsert(String sql) implements Deferrable {

        public OneRowInsert {
            String words = words(sql);
            if (!words.startsWith("INSERT INTO ")
                    || !words.contains(" VALUES (")
                    || words.contains(";")
                    || words.contains("SELECT")
                    || words.contains("),")) {
                throw new IllegalArgumentException("not an insert of one row with its values: " + sql);
            }
        }
    }

    /**
     * {@code UPDATE table SET ... WHERE ...} whose row count the caller does not read: the rows it matches are
     * updated, none matching is no error, and only a failure (a constraint, a lock timeout) fails the commit. No
     * sub-select: what it matches is decided by its own row's columns.
     */
    public record UncheckedUpdate(String sql) implements Deferrable {

        public UncheckedUpdate {
            String words = words(sql);
            if (!words.startsWith("UPDATE ")
                    || !words.contains(" SET ")
                    || !words.contains(" WHERE ")
                    || words.contains(";")
                    || words.contains("SELECT")
                    || words.contains("RETURNING")) {
                throw new IllegalArgumentException("not an update of its own rows by a WHERE clause: " + sql);
            }
        }
    }

    /**
     * A write of one row that fails, rather than writing nothing, when its condition does not hold, so that the
     * writes queued after it need no condition of their own: the condition is a {@code CASE WHEN condition THEN value
     * END} given to a NOT NULL column, NULL (a NOT NULL violation, SQLState 23502, {@link #refused}) when it does not
     * hold. Either {@code INSERT INTO table (columns) SELECT expressions} (one row: no FROM or WHERE outside its
     * parentheses) or {@code UPDATE table SET ... WHERE ...} naming one row that exists: an update that matches no
     * row writes nothing and does not fail, so its caller must know the row is there. The transaction's other writes
     * must leave no NOT NULL column NULL, so that a violation is the guard's.
     */
    public record GuardedWrite(String sql) implements Deferrable {

        private static final String NOT_NULL_VIOLATION = "23502";

        public GuardedWrite {
            String words = words(sql);
            String outside = outsideParentheses(words);
            boolean oneRowInsert = words.startsWith("INSERT INTO ")
                    && outside.contains(" SELECT ")
                    && !outside.contains(" FROM ")
                    && !outside.contains(" WHERE ");
            boolean update = words.startsWith("UPDATE ") && outside.contains(" SET ") && outside.contains(" WHERE ");
            if (!(oneRowInsert || update)
                    || !outside.contains("CASE WHEN ")
                    || !outside.contains(" END")
                    || words.contains(";")
                    || words.contains("RETURNING")) {
                throw new IllegalArgumentException("not a guarded write of one row: " + sql);
            }
        }

        /**
         * Runs {@code writes} in a transaction of {@code transaction}: true when it committed, false when a guarded
         * write's condition did not hold (nothing of it stays); any other failure is thrown.
         */
        public static boolean committed(TransactionTemplate transaction, Runnable writes) {
            try {
                transaction.executeWithoutResult(status -> writes.run());
                return true;
            } catch (DataIntegrityViolationException failed) {
                if (refused(failed)) {
                    return false;
                }
                throw failed;
            }
        }

        /** Whether {@code failure} (a commit's, or the write's when it ran at once) is a guard that did not hold. */
        public static boolean refused(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && NOT_NULL_VIOLATION.equals(sql.getSQLState())) {
                    return true;
                }
            }
            return false;
        }

        private static String outsideParentheses(String words) {
            StringBuilder outside = new StringBuilder(words.length());
            int depth = 0;
            for (char c : words.toCharArray()) {
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (depth == 0) {
                    outside.append(c);
                }
            }
            return outside.toString();
        }
    }

    /** A {@link Deferrable} statement and its arguments. */
    public record Write(Deferrable statement, List<Object> args) {

        public Write {
            args = Collections.unmodifiableList(new ArrayList<>(args));
        }

        String sql() {
            return statement.sql();
        }
    }

    private static String words(String sql) {
        return sql.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }

    /** The queue of the transaction in progress, bound while the transaction manager has it open. */
    static final class Queue {
        private final List<Write> writes = new ArrayList<>(2);
    }

    private static final Object KEY = WritesAtCommit.class;

    private WritesAtCommit() {}

    /**
     * Sends {@code write} with the commit of the transaction in progress, when {@link PipelinedTransactionManager}
     * began it; at once through {@code jdbc} otherwise.
     */
    public static void write(Write write, JdbcClient jdbc) {
        Queue queue = (Queue) TransactionSynchronizationManager.getResource(KEY);
        if (queue == null) {
            jdbc.sql(write.sql()).params(write.args()).update();
            return;
        }
        queue.writes.add(write);
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
    static List<Write> queued() {
        Queue queue = (Queue) TransactionSynchronizationManager.getResource(KEY);
        return queue == null ? List.of() : queue.writes;
    }

    /**
     * Sends the writes and, on PostgreSQL, the COMMIT after them as one statement: PostgreSQL runs every part up to
     * the protocol's one Sync message, and stops at the first that fails, so a failed write leaves the transaction
     * aborted and uncommitted (the transaction manager rolls it back). Once they succeed, the driver sees no
     * transaction open and its own commit has nothing to send.
     */
    static void send(Connection connection, List<Write> writes, boolean postgres) throws SQLException {
        if (postgres) {
            StringBuilder sql = new StringBuilder();
            List<Object> args = new ArrayList<>();
            for (Write write : writes) {
                sql.append(write.sql()).append(";\n");
                args.addAll(write.args());
            }
            sql.append("COMMIT");
            run(connection, sql.toString(), args);
            return;
        }
        for (Write write : writes) {
            run(connection, write.sql(), write.args());
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
