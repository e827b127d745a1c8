package org.cardrenew.server.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh schema in the test PostgreSQL (env CARDRENEW_TEST_PG_URL/USER/PASSWORD, defaults as scripts/test.sh),
 * so test classes never see each other's rows.
 */
public record PostgresSchema(String url, String user, String password, String schema) {

    public static PostgresSchema fresh() {
        String base = env("CARDRENEW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/cardrenew_test");
        String user = env("CARDRENEW_TEST_PG_USER", "cardrenew_test");
        String password = env("CARDRENEW_TEST_PG_PASSWORD", "cardrenew_test");
        String schema = "test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(base, user, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL for tests is not reachable at " + base + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(base, user, password, schema)));
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new PostgresSchema(url, user, password, schema);
    }

    /**
     * This schema reached through PostgreSQL's Unix-domain socket instead of TCP (docs/OPERATIONS.md: PostgreSQL on the
     * node's own machine): env CARDRENEW_TEST_PG_SOCKET, default Debian's {@code /run/postgresql/.s.PGSQL.5432};
     * scripts/test.sh lets the test roles log in there with their passwords.
     */
    public PostgresSchema throughSocket() {
        String socket = env("CARDRENEW_TEST_PG_SOCKET", "/run/postgresql/.s.PGSQL.5432");
        return new PostgresSchema(
                // junixsocket's factory takes over connections to the host name localhost (not to an address)
                url.replaceFirst("^jdbc:postgresql://[^/]*/", "jdbc:postgresql://localhost/")
                        + "&socketFactory=org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg&socketFactoryArg="
                        + socket,
                user,
                password,
                schema);
    }

    /**
     * The role the server runs as when Flyway migrates as the owner ({@link #user()}): env
     * CARDRENEW_TEST_PG_APP_USER/PASSWORD, created by scripts/test.sh. It gets its rights from the migration.
     */
    public String applicationUser() {
        return env("CARDRENEW_TEST_PG_APP_USER", "cardrenew_test_app");
    }

    public String applicationPassword() {
        return env("CARDRENEW_TEST_PG_APP_PASSWORD", "cardrenew_test_app");
    }

    /** Best effort: leave the shared test database as we found it. */
    private static void drop(String url, String user, String password, String schema) {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        } catch (SQLException ignored) {
            // the schema name is random; a leftover does no harm
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
