package org.cardrenew.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.ca.CaKeyType;
import picocli.CommandLine;

/** The options of {@code bin/cardrenew-bench}. */
record BenchOptions(
        Duration duration,
        CaKeyType caKey,
        HolderKeyType holderKey,
        int threads,
        boolean csrInLoop,
        Path serverJar,
        String serverJava,
        List<String> serverJvmOptions,
        String pgUrl,
        Path pgSocket,
        String pgUser,
        String pgPassword,
        Path workDir,
        Path jfr,
        Path profile,
        int cardRounds,
        List<KeySpec> cardKeys,
        Path softhsmLibrary,
        String cardToken,
        char[] cardPin,
        int maxHolders,
        Duration warmup,
        long scanPairs) {

    /** Issue 6 asks for the reminder scan over 1,000,000 certificate pairs (the default of --scan-pairs). */
    static final long DEFAULT_SCAN_PAIRS = 1_000_000L;

    /**
     * The server's own JDBC URL: {@link #pgUrl} (the bench's own connections use it as it is) named by
     * {@link #serverApplicationName} so that its backends can be told from every other client, and through
     * {@link #pgSocket} when there is one (the driver's socket factory, docs/OPERATIONS.md).
     */
    String serverPgUrl() {
        return pgUrlNamed(serverApplicationName());
    }

    /**
     * {@link #pgUrl} for sessions called {@code applicationName}, through {@link #pgSocket} when there is one: how the
     * server connects, for other sessions that must connect the same way (the floor's).
     */
    String pgUrlNamed(String applicationName) {
        String url = pgUrl + (pgUrl.contains("?") ? "&" : "?") + "ApplicationName=" + applicationName;
        // junixsocket's factory takes over connections to the host name localhost (not to an address).
        return pgSocket == null
                ? url
                : url.replaceFirst("^jdbc:postgresql://[^/]*/", "jdbc:postgresql://localhost/")
                        + "&socketFactory=org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg&socketFactoryArg="
                        + pgSocket;
    }

    /** What the server's sessions call themselves in {@code pg_stat_activity}: unique to this run. */
    String serverApplicationName() {
        return "cardrenew-bench-server-" + ProcessHandle.current().pid();
    }

    /** The usage text, generated from {@link BenchCommand}'s options. */
    static final String USAGE = BenchCommand.usage();

    /**
     * Parses the command line; the launcher supplies the paths and the PostgreSQL schema. A bad option, or
     * {@code --help} (an empty message), is an {@link IllegalArgumentException}.
     */
    static BenchOptions parse(String[] args) {
        BenchCommand command = new BenchCommand();
        CommandLine line = new CommandLine(command);
        try {
            line.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (line.isUsageHelpRequested()) {
            throw new IllegalArgumentException("");
        }
        return command.toOptions();
    }

    /** ISO-8601 ({@code PT30S}) or a number with a unit ({@code 30s}, {@code 2m}, {@code 500ms}); a bare number is seconds. */
    static Duration duration(String text) {
        return BenchCommand.duration(text);
    }
}
