package org.cardrenew.server.testsupport;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Counts the SQL statements and commits that HTTP requests run: the application's {@link DataSource} is wrapped in a
 * JDBC proxy that records, on Tomcat's request threads only (not Flyway, not scheduled jobs), every statement executed
 * and every commit (an explicit one, or a statement run in auto-commit). Statements on the audit tables are listed
 * apart ({@link Step#auditStatements}): how the audit chain appends is the audit package's business; the commits a
 * step makes, its audit appends included, are the step's.
 */
@TestConfiguration(proxyBeanMethods = false)
public class SqlCounting {

    /**
     * What the requests of one step ran: the statements on the audit tables apart; {@code roundTrips}, what reached
     * the database: each statement sent, and each commit the driver had to send (on PostgreSQL none when the COMMIT
     * went with the transaction's last writes, {@code org.cardrenew.server.store.WritesAtCommit}).
     */
    public record Step(List<String> statements, int commits, List<String> auditStatements, int roundTrips) {

        /** Readable in an assertion message: one statement a line, then the audit tables' ones, then the commits. */
        public String describe() {
            return String.join("\n", statements) + "\non the audit tables:\n" + String.join("\n", auditStatements)
                    + "\n(" + commits + " commits)";
        }
    }

    private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate");

    private final List<String> statements = new ArrayList<>();
    private final List<String> auditStatements = new ArrayList<>();
    private int commits;
    private int roundTrips;

    @Bean
    public static BeanPostProcessor countingDataSource(
            org.springframework.beans.factory.ObjectProvider<SqlCounting> me) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof DataSource dataSource) {
                    return proxy(DataSource.class, dataSource, (target, method, args) -> {
                        Object result = invoke(target, method, args);
                        return result instanceof Connection c ? me.getObject().connection(c) : result;
                    });
                }
                return bean;
            }
        };
    }

    /**
     * {@code target}, recording the text of every statement prepared through it on any thread (outside a Spring
     * context: the audit chainer's statements run on its own thread, which {@link #step} does not count).
     */
    public static DataSource recordingPreparedTexts(DataSource target, Set<String> texts) {
        return proxy(DataSource.class, target, (dataSource, method, args) -> {
            Object result = invoke(dataSource, method, args);
            if (!(result instanceof Connection connection)) {
                return result;
            }
            return proxy(Connection.class, connection, (real, m, a) -> {
                if (m.getName().equals("prepareStatement") && a != null && a[0] instanceof String sql) {
                    texts.add(sql.strip());
                }
                return invoke(real, m, a);
            });
        });
    }

    /** Starts a step: forgets what earlier requests ran. */
    public synchronized void reset() {
        statements.clear();
        commits = 0;
        roundTrips = 0;
        auditStatements.clear();
    }

    /** What ran since the last {@link #reset}. */
    public synchronized Step step() {
        return new Step(List.copyOf(statements), commits, List.copyOf(auditStatements), roundTrips);
    }

    private Connection connection(Connection real) {
        return proxy(Connection.class, real, (target, method, args) -> {
            if (method.getName().equals("commit") && counted()) {
                committed(sendsCommit(real));
            }
            Object result = invoke(target, method, args);
            if (result instanceof Statement statement) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                Class<? extends Statement> type = result instanceof CallableStatement
                        ? CallableStatement.class
                        : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                return statement(type, statement, real, sql);
            }
            return result;
        });
    }

    private Statement statement(
            Class<? extends Statement> type, Statement real, Connection connection, String prepared) {
        int[] batched = {0};
        return proxy(type, real, (target, method, args) -> {
            String name = method.getName();
            if (name.equals("addBatch")) {
                batched[0]++;
            }
            boolean batch = name.equals("executeBatch") || name.equals("executeLargeBatch");
            if ((EXECUTE.contains(name) || batch) && counted()) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : prepared;
                boolean autoCommit = connection.getAutoCommit();
                for (int i = 0; i < (batch ? Math.max(1, batched[0]) : 1); i++) {
                    ran(oneLine(sql), autoCommit);
                }
                batched[0] = 0;
            }
            return invoke(target, method, args);
        });
    }

    /**
     * One round trip; the statements it carried each counted, so a step's writes sent with its COMMIT as one
     * prepared statement (WritesAtCommit) count as the statements they are, and the COMMIT as the commit it is.
     */
    private synchronized void ran(String sql, boolean autoCommit) {
        roundTrips++;
        for (String part : sql.split(";")) {
            String statement = part.trim();
            if (statement.isEmpty() || statement.equalsIgnoreCase("COMMIT")) {
                continue;
            }
            if (statement.toLowerCase(Locale.ROOT).contains("audit_")) {
                auditStatements.add(statement);
            } else {
                statements.add(statement);
            }
        }
        if (autoCommit) {
            commits++;
        }
    }

    private synchronized void committed(boolean sent) {
        commits++;
        if (sent) {
            roundTrips++;
        }
    }

    /** Whether the driver sends a COMMIT: PostgreSQL's does not when no transaction is open; H2's commits in place. */
    private static boolean sendsCommit(Connection connection) throws SQLException {
        return !connection.isWrapperFor(BaseConnection.class)
                || connection.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE;
    }

    /** Tomcat's request threads: what a client's request runs, not Flyway, not a scheduled job. */
    private static boolean counted() {
        return Thread.currentThread().getName().startsWith("http-nio");
    }

    private static String oneLine(String sql) {
        return sql == null ? "(no text)" : sql.replaceAll("\\s+", " ").trim();
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(Object target, Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, Object target, Handler handler) {
        InvocationHandler h = (p, method, args) -> {
            if (method.getName().equals("unwrap")
                    && args != null
                    && args[0] instanceof Class<?> c
                    && c.isInstance(target)) {
                return target;
            }
            return handler.handle(target, method, args);
        };
        return type.cast(Proxy.newProxyInstance(SqlCounting.class.getClassLoader(), new Class<?>[] {type}, h));
    }
}
