package org.cardrenew.agent.bridge;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What the bridge runs with: the card's PKCS#11 library, the loopback port and the allowed origins. Command
 * line options win over the per-user configuration file; origins from both are allowed.
 *
 * @param module  the PKCS#11 library
 * @param port    the loopback port (0 picks a free one, for tests)
 * @param origins the pages that may use the bridge
 */
public record BridgeSettings(Path module, int port, AllowedOrigins origins) {

    /** The default port: unassigned by IANA, above the well-known and common development ports. */
    public static final int DEFAULT_PORT = 47811;

    /** File keys: {@code module}, {@code port}, {@code allow-origin} (comma- or space-separated). */
    static final String MODULE = "module";
    static final String PORT = "port";
    static final String ALLOW_ORIGIN = "allow-origin";

    /**
     * The per-user configuration file: {@code %APPDATA%\CardRenew\agent.properties} on Windows,
     * {@code ~/Library/Application Support/CardRenew/agent.properties} on macOS, and
     * {@code $XDG_CONFIG_HOME/cardrenew/agent.properties} (default {@code ~/.config}) elsewhere.
     */
    public static Path defaultFile(String osName, Map<String, String> env, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            Path base = appData != null && !appData.isBlank() ? Path.of(appData) : home.resolve("AppData").resolve("Roaming");
            return base.resolve("CardRenew").resolve("agent.properties");
        }
        if (os.startsWith("mac")) {
            return home.resolve("Library").resolve("Application Support").resolve("CardRenew").resolve("agent.properties");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config");
        return base.resolve("cardrenew").resolve("agent.properties");
    }

    /**
     * Merges options and file.
     *
     * @param module  --module, or null for the file's
     * @param port    --port, or null for the file's (else {@link #DEFAULT_PORT})
     * @param origins --allow-origin values
     * @param file    the configuration file; a missing file is no error
     * @throws IllegalArgumentException when no module or no origin is configured, or a value is malformed
     */
    public static BridgeSettings resolve(Path module, Integer port, List<String> origins, Path file) throws IOException {
        Properties props = new Properties();
        if (file != null && Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            }
        }
        Path lib = module != null ? module
                : props.getProperty(MODULE, "").isBlank() ? null : Path.of(props.getProperty(MODULE).trim());
        if (lib == null) {
            throw new IllegalArgumentException("no PKCS#11 library: give --module or set 'module' in " + file);
        }
        int p;
        if (port != null) {
            p = port;
        } else if (!props.getProperty(PORT, "").isBlank()) {
            try {
                p = Integer.parseInt(props.getProperty(PORT).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'port' in " + file + " is not a number");
            }
        } else {
            p = DEFAULT_PORT;
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port out of range: " + p);
        }
        List<String> all = new ArrayList<>(origins == null ? List.of() : origins);
        for (String entry : props.getProperty(ALLOW_ORIGIN, "").split("[,\\s]+")) {
            all.add(entry);
        }
        AllowedOrigins allowed = AllowedOrigins.of(all);
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException(
                    "no allowed origin: give --allow-origin URL (the renewal site) or set 'allow-origin' in " + file);
        }
        return new BridgeSettings(lib, p, allowed);
    }
}
