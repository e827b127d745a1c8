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
import org.cardrenew.agent.renewal.DecryptionHistory;
import org.cardrenew.protocol.ServerTrust;

/**
 * What the bridge runs with: the card's PKCS#11 library, the loopback port, the allowed origins and the roots it
 * trusts for the renewal site's TLS certificate. Command line options win over the per-user configuration file;
 * origins from both are allowed.
 *
 * @param module  the PKCS#11 library
 * @param port    the loopback port (0 picks a free one, for tests)
 * @param origins the pages that may use the bridge
 * @param trust   the system's roots, plus those of {@code --ca-file} or {@code ca-file}
 * @param history how many old encryption keys a renewal keeps on the card
 */
public record BridgeSettings(
        Path module, int port, AllowedOrigins origins, ServerTrust trust, DecryptionHistory history) {

    /** Trusting the system's roots only, keeping every old encryption key. */
    public BridgeSettings(Path module, int port, AllowedOrigins origins) {
        this(module, port, origins, ServerTrust.system(null), DecryptionHistory.ALL);
    }

    /** The default port: unassigned by IANA, above the well-known and common development ports. */
    public static final int DEFAULT_PORT = 47811;

    /**
     * File keys: {@code module}, {@code port}, {@code allow-origin} (comma- or space-separated), {@code ca-file} (a
     * relative path is taken from the file's folder), {@code keep-decryption-keys} ({@code all} or a number).
     */
    static final String MODULE = "module";

    static final String CA_FILE = "ca-file";
    static final String PORT = "port";
    static final String ALLOW_ORIGIN = "allow-origin";
    static final String KEEP_DECRYPTION_KEYS = "keep-decryption-keys";

    /**
     * The per-user configuration file: {@code %APPDATA%\CardRenew\agent.properties} on Windows,
     * {@code ~/Library/Application Support/CardRenew/agent.properties} on macOS, and
     * {@code $XDG_CONFIG_HOME/cardrenew/agent.properties} (default {@code ~/.config}) elsewhere.
     */
    public static Path defaultFile(String osName, Map<String, String> env, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            Path base = appData != null && !appData.isBlank()
                    ? Path.of(appData)
                    : home.resolve("AppData").resolve("Roaming");
            return base.resolve("CardRenew").resolve("agent.properties");
        }
        if (os.startsWith("mac")) {
            return home.resolve("Library")
                    .resolve("Application Support")
                    .resolve("CardRenew")
                    .resolve("agent.properties");
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
    public static BridgeSettings resolve(Path module, Integer port, List<String> origins, Path file)
            throws IOException {
        return resolve(module, port, origins, null, file);
    }

    /**
     * As {@link #resolve(Path, Integer, List, Path)}, with {@code --ca-file}.
     *
     * @param caFile --ca-file, or null for the file's {@code ca-file}, if any
     * @throws IllegalArgumentException also when the CA file cannot be read or holds no certificate
     */
    public static BridgeSettings resolve(Path module, Integer port, List<String> origins, Path caFile, Path file)
            throws IOException {
        return resolve(module, port, origins, caFile, null, file);
    }

    /**
     * As {@link #resolve(Path, Integer, List, Path, Path)}, with {@code --keep-decryption-keys}.
     *
     * @param keepDecryptionKeys --keep-decryption-keys, or null for the file's, else all
     */
    public static BridgeSettings resolve(
            Path module, Integer port, List<String> origins, Path caFile, String keepDecryptionKeys, Path file)
            throws IOException {
        Properties props = load(file);
        Path lib = module != null
                ? module
                : props.getProperty(MODULE, "").isBlank()
                        ? null
                        : Path.of(props.getProperty(MODULE).trim());
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
        Path roots = caFile;
        if (roots == null && !props.getProperty(CA_FILE, "").isBlank()) {
            Path named = Path.of(props.getProperty(CA_FILE).trim());
            roots = named.isAbsolute() || file.getParent() == null
                    ? named
                    : file.getParent().resolve(named);
        }
        return new BridgeSettings(lib, p, allowed, ServerTrust.system(roots), keep(keepDecryptionKeys, props));
    }

    /**
     * The holder's decryption-history limit: the option, else {@code keep-decryption-keys} in the file, else
     * all. Read by {@code cardrenew renew} too, so the holder sets it once for the page and the command line.
     *
     * @throws IllegalArgumentException when the value is neither {@code all} nor a number 0..1000
     */
    public static DecryptionHistory decryptionHistory(String option, Path file) throws IOException {
        return keep(option, load(file));
    }

    private static DecryptionHistory keep(String option, Properties props) {
        return DecryptionHistory.parse(option != null ? option : props.getProperty(KEEP_DECRYPTION_KEYS));
    }

    private static Properties load(Path file) throws IOException {
        Properties props = new Properties();
        if (file != null && Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            }
        }
        return props;
    }
}
