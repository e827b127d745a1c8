package org.cardrenew.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The agent's version, as the build wrote it into {@code version.properties} (Maven resource filtering of the
 * project version): the bridge reports it at {@code GET /v1/bridge}, so the renewal page can ask the holder to
 * update a component older than the server requires, and {@code cardrenew --version} prints it.
 */
public final class AgentVersion {

    private static final String CURRENT = load();

    private AgentVersion() {}

    /** The version this agent was built as, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the agent build");
            }
            Properties props = new Properties();
            props.load(in);
            String version = props.getProperty("version", "").trim();
            // An unfiltered file means the build was skipped (an IDE copying resources as they are).
            if (version.isEmpty() || version.startsWith("@")) {
                throw new IllegalStateException("version.properties was not filled in by the build: " + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
