package org.cardrenew.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.server.CardRenewServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The real CardRenew server, started in this JVM on a free port, on H2 or on a fresh PostgreSQL schema. */
final class ServerUnderTest implements AutoCloseable {

    static final String ADMIN_TOKEN = "e2e-admin-token-" + UUID.randomUUID();

    private final ConfigurableApplicationContext context;
    private final Path dataDir;
    private final boolean https;
    /** The PostgreSQL schema this server ran on, dropped on {@link #close}; {@code null} on H2. */
    private final TestSchema schema;

    /** A schema of the test PostgreSQL, with the owner's credentials that drop it. */
    record TestSchema(String url, String user, String password, String name) {

        /** Best effort, once the server is stopped: the shared test database keeps no schema of a finished test. */
        void drop() {
            try (Connection c = DriverManager.getConnection(url, user, password);
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            } catch (SQLException e) {
                System.err.println("could not drop the test schema " + name + ": " + e.getMessage());
            }
        }
    }

    private ServerUnderTest(ConfigurableApplicationContext context, Path dataDir, boolean https, TestSchema schema) {
        this.context = context;
        this.dataDir = dataDir;
        this.https = https;
        this.schema = schema;
    }

    enum Database {
        H2,
        POSTGRESQL
    }

    static ServerUnderTest start(Database database) throws Exception {
        return start(database, false, Map.of());
    }

    /** On plain HTTP with more properties, given as command-line arguments (they win over application.properties). */
    static ServerUnderTest start(Database database, Map<String, Object> more) throws Exception {
        return start(database, false, more);
    }

    /** On HTTPS, as a real renewal site, with its own TLS certificate issued by its CA (whose root nothing trusts). */
    static ServerUnderTest startHttps() throws Exception {
        return startHttps(Map.of());
    }

    /** On HTTPS with more properties, given as command-line arguments so that they win over application.properties. */
    static ServerUnderTest startHttps(Map<String, Object> more) throws Exception {
        return start(Database.H2, true, more);
    }

    private static ServerUnderTest start(Database database, boolean https, Map<String, Object> more) throws Exception {
        Path dataDir = Files.createTempDirectory("cardrenew-e2e-");
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("server.port", "0");
        props.put("cardrenew.data-dir", dataDir.toString());
        props.put("cardrenew.admin.token", ADMIN_TOKEN);
        props.put("cardrenew.enrollment.allow-explicit-validity", "true");
        props.put("cardrenew.ca.keystore-password", "e2e-ca-password");
        props.put("cardrenew.ca.key-type", "p256");
        props.put("cardrenew.tls.enabled", Boolean.toString(https));
        TestSchema dropOnClose = null;
        if (database == Database.POSTGRESQL) {
            String schema =
                    "e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            String url = env("CARDRENEW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/cardrenew_test");
            String user = env("CARDRENEW_TEST_PG_USER", "cardrenew_test");
            String password = env("CARDRENEW_TEST_PG_PASSWORD", "cardrenew_test");
            createSchema(url, user, password, schema);
            dropOnClose = new TestSchema(url, user, password, schema);
            props.put("spring.datasource.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
            props.put("spring.datasource.username", user);
            props.put("spring.datasource.password", password);
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CardRenewServer.class)
                .properties(props)
                .run(more.entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
        return new ServerUnderTest(context, dataDir, https, dropOnClose);
    }

    String url() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return (https ? "https" : "http") + "://localhost:" + port;
    }

    /** The root of the server's CA, which also certifies its TLS certificate. */
    X509Certificate root() {
        List<X509Certificate> chain =
                context.getBean(CertificateAuthority.class).chain();
        return chain.get(chain.size() - 1);
    }

    /** That root as a PEM file in the data directory, for {@code --ca-file} and the agent's {@code ca-file=}. */
    Path rootPem() throws java.io.IOException, java.security.cert.CertificateEncodingException {
        return Files.writeString(
                dataDir.resolve("root.pem"),
                "-----BEGIN CERTIFICATE-----\n"
                        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(root().getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    JdbcClient jdbc() {
        return context.getBean(JdbcClient.class);
    }

    Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        context.close();
        if (schema != null) {
            schema.drop();
        }
    }

    private static void createSchema(String url, String user, String password, String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
