package org.cardrenew.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A SoftHSM2 installation for one test JVM. SoftHSM2 reads {@code SOFTHSM2_CONF} once, at the first
 * {@code C_Initialize} of the JVM, so every token a test class needs must be created before its first
 * PKCS#11 call. The build runs one JVM per test class with {@code SOFTHSM2_CONF} pointing at
 * {@code <softhsm.dir>/softhsm2.conf}; {@link #forThisJvm()} writes that file and starts with no tokens.
 */
public final class SoftHsm {

    public static final String DEFAULT_LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    public static final String SO_PIN = "87654321";

    private final Path conf;
    private final Path tokenDir;
    private final String library;

    private SoftHsm(Path conf, Path tokenDir, String library) {
        this.conf = conf;
        this.tokenDir = tokenDir;
        this.library = library;
    }

    /** The SoftHSM2 of this JVM, emptied of tokens left by an earlier test class. */
    public static SoftHsm forThisJvm() {
        String env = System.getenv("SOFTHSM2_CONF");
        if (env == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: run the tests through Maven (surefire sets it)");
        }
        Path conf = Path.of(env).toAbsolutePath();
        Path tokenDir = conf.getParent().resolve("tokens");
        try {
            deleteRecursively(tokenDir);
            Files.createDirectories(tokenDir);
            Files.writeString(
                    conf,
                    "directories.tokendir = " + tokenDir + "\n"
                            + "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare SoftHSM2 at " + conf, e);
        }
        return new SoftHsm(conf, tokenDir, System.getProperty("softhsm.library", DEFAULT_LIBRARY));
    }

    /** A fresh token initialised with the SO PIN {@link #SO_PIN} and the given user PIN. */
    public Token createToken(String label, String userPin) {
        Tools.run(
                List.of(
                        "softhsm2-util",
                        "--init-token",
                        "--free",
                        "--label",
                        label,
                        "--so-pin",
                        SO_PIN,
                        "--pin",
                        userPin),
                environment());
        return new Token(label, userPin, library, conf);
    }

    /** The environment an external tool (pkcs11-tool, softhsm2-util) needs to see the same tokens. */
    public java.util.Map<String, String> environment() {
        return java.util.Map.of("SOFTHSM2_CONF", conf.toString());
    }

    public String library() {
        return library;
    }

    public Path conf() {
        return conf;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
