package org.cardrenew.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.ca.CaKeyType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The command line of {@code bin/cardrenew-bench}, read by picocli into {@link BenchOptions}. */
@Command(
        name = "cardrenew-bench",
        sortOptions = false,
        usageHelpWidth = 110,
        description = "Benchmarks CardRenew on this machine (docs/BENCHMARKS.md).",
        footer = {
            "bin/cardrenew-bench also takes:",
            "  --java PATH    java for the bench and, unless --server-java is given, for the server",
            "  --keep         keep the work directory (server log, data) and the PostgreSQL schema"
        })
final class BenchCommand {

    @Option(
            names = "--duration",
            defaultValue = "30s",
            converter = DurationConverter.class,
            paramLabel = "PT30S|30s",
            description = "timed renewal phase (status checks run for half of it); default ${DEFAULT-VALUE}")
    Duration duration;

    @Option(
            names = "--ca-key",
            defaultValue = "rsa2048",
            converter = CaKeyConverter.class,
            paramLabel = "rsa2048|p256",
            description = "key type of the server's CA (created fresh for the run); default ${DEFAULT-VALUE}")
    CaKeyType caKey;

    @Option(
            names = "--holder-key",
            defaultValue = "p256",
            converter = HolderKeyConverter.class,
            paramLabel = "p256|rsa2048",
            description = "software key type of the simulated cards; default ${DEFAULT-VALUE}")
    HolderKeyType holderKey;

    @Option(
            names = "--threads",
            defaultValue = "4",
            converter = PositiveInt.class,
            paramLabel = "N",
            description =
                    "concurrent simulated holders (closed loop), also the crypto bound's threads; default ${DEFAULT-VALUE}")
    int threads;

    @Option(
            names = "--csr-in-loop",
            description = "sign the renewal CSRs inside the timed loop (default: prepared before it)")
    boolean csrInLoop;

    @Option(
            names = "--server-java",
            paramLabel = "PATH",
            description = "java executable for the server; default: the bench's own java")
    String serverJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Option(
            names = "--server-opts",
            defaultValue = "-Xmx512m",
            paramLabel = "\"JVM OPTIONS\"",
            description = "JVM options of the server; default ${DEFAULT-VALUE}")
    String serverOpts;

    @Option(
            names = "--jfr",
            paramLabel = "FILE",
            description =
                    "record the server with Java Flight Recorder during the timed renewal phase into FILE, and during "
                            + "the status checks into FILE with .status.jfr for .jfr")
    Path jfr;

    @Option(
            names = "--profile",
            paramLabel = "FILE",
            description =
                    "sample the server's CPU with async-profiler (Java, native and kernel frames) during the timed "
                            + "renewal phase into FILE (collapsed stacks), and during the status checks into FILE with "
                            + ".status.collapsed for .collapsed; Linux x86-64 and arm64")
    Path profile;

    @Option(
            names = "--warmup",
            converter = DurationConverter.class,
            paramLabel = "30s",
            description =
                    "longest warm-up; it ends earlier once the server's JIT uses < 10%% of its CPU; default four times the duration, between 8 s and 120 s")
    Duration warmup;

    @Option(
            names = "--max-holders",
            defaultValue = "20000",
            converter = PositiveInt.class,
            paramLabel = "N",
            description = "most renewals prepared for the timed part; default ${DEFAULT-VALUE}")
    int maxHolders;

    @Option(
            names = "--card-rounds",
            defaultValue = "3",
            converter = Count.class,
            paramLabel = "N",
            description = "renewals of the SoftHSM2 card per key type (0 skips the card); default ${DEFAULT-VALUE}")
    long cardRounds;

    @Option(
            names = "--card-keys",
            defaultValue = "rsa2048,p256",
            split = ",",
            converter = CardKeyConverter.class,
            paramLabel = "KEY",
            description = "card key types to time on SoftHSM2; default ${DEFAULT-VALUE}")
    List<KeySpec> cardKeys;

    @Option(
            names = "--scan-pairs",
            defaultValue = "" + BenchOptions.DEFAULT_SCAN_PAIRS,
            converter = Count.class,
            paramLabel = "N",
            description =
                    "card pairs seeded into the server's schema for the reminder scan, timed through POST /api/v1/admin/reminders/scans (0 skips the scan); default ${DEFAULT-VALUE}")
    long scanPairs;

    // Supplied by the launcher (bin/cardrenew-bench), not by the person running it.
    @Option(names = "--server-jar", hidden = true, defaultValue = "server/target/cardrenew-server-exec.jar")
    Path serverJar;

    @Option(names = "--pg-url", hidden = true, defaultValue = "jdbc:postgresql://127.0.0.1:5432/cardrenew_bench")
    String pgUrl;

    @Option(names = "--pg-user", hidden = true, defaultValue = "cardrenew_test")
    String pgUser;

    // PostgreSQL's Unix-domain socket when it runs on this machine: the server's pool connects through it (the launcher
    // passes it unless CARDRENEW_BENCH_PG_SOCKET=none); without it, over TCP to --pg-url's host and port.
    @Option(names = "--pg-socket", hidden = true)
    Path pgSocket;

    @Option(names = "--work-dir", hidden = true)
    Path workDir;

    @Option(names = "--softhsm-library", hidden = true, defaultValue = "/usr/lib/softhsm/libsofthsm2.so")
    Path softhsmLibrary;

    @Option(names = "--card-token", hidden = true, defaultValue = "cardrenew-bench")
    String cardToken;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "this help")
    boolean help;

    BenchOptions toOptions() {
        Path work = workDir != null
                ? workDir
                : Path.of(
                        System.getProperty("java.io.tmpdir"),
                        "cardrenew-bench-" + ProcessHandle.current().pid());
        List<String> jvm = serverOpts.isBlank()
                ? List.of()
                : Arrays.asList(serverOpts.trim().split("\\s+"));
        return new BenchOptions(
                duration,
                caKey,
                holderKey,
                threads,
                csrInLoop,
                serverJar,
                serverJava,
                jvm,
                pgUrl,
                pgSocket,
                pgUser,
                env("CARDRENEW_BENCH_PG_PASSWORD", "cardrenew_test"),
                work,
                jfr,
                profile,
                (int) cardRounds,
                cardKeys,
                softhsmLibrary,
                cardToken,
                env("CARDRENEW_BENCH_CARD_PIN", "123456").toCharArray(),
                maxHolders,
                warmup,
                scanPairs);
    }

    static String usage() {
        return new CommandLine(new BenchCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** ISO-8601 ({@code PT30S}) or a number with a unit ({@code 30s}, {@code 2m}, {@code 500ms}); a bare number is seconds. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        } catch (RuntimeException e) {
            throw new TypeConversionException("not a duration (PT30S, 30s, 2m, 500ms): " + text);
        }
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return duration(value);
        }
    }

    static final class CaKeyConverter implements ITypeConverter<CaKeyType> {
        @Override
        public CaKeyType convert(String value) {
            return CaKeyType.fromConfigName(value);
        }
    }

    static final class HolderKeyConverter implements ITypeConverter<HolderKeyType> {
        @Override
        public HolderKeyType convert(String value) {
            return HolderKeyType.of(value);
        }
    }

    /** A count of 0 or more; {@code 1_000_000} and {@code 1,000,000} are read as 1000000. */
    static final class Count implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long n;
            try {
                n = Long.parseLong(value.trim().replace("_", "").replace(",", ""));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("must be a whole number: " + value);
            }
            if (n < 0) {
                throw new TypeConversionException("must be 0 or more");
            }
            return n;
        }
    }

    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("must be a whole number: " + value);
            }
            if (n < 1) {
                throw new TypeConversionException("must be at least 1");
            }
            return n;
        }
    }

    static final class CardKeyConverter implements ITypeConverter<KeySpec> {
        @Override
        public KeySpec convert(String name) {
            return KeySpec.ofCliName(name.trim())
                    .orElseThrow(() ->
                            new TypeConversionException("card key must be rsa2048, rsa3072, p256 or p384: " + name));
        }
    }
}
