package org.cardrenew.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.ca.CaKeyType;

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
        String pgUser,
        String pgPassword,
        Path workDir,
        Path jfr,
        int cardRounds,
        List<KeySpec> cardKeys,
        Path softhsmLibrary,
        String cardToken,
        char[] cardPin,
        int maxHolders,
        Duration warmup,
        long scanPairs) {

    /** Issue 6 asks for the reminder scan over 1,000,000 certificate pairs. */
    static final long DEFAULT_SCAN_PAIRS = 1_000_000L;

    static final String USAGE = """
            usage: cardrenew-bench [--duration PT30S|30s] [--ca-key rsa2048|p256] [--holder-key p256|rsa2048]
                                   [--threads N] [--csr-in-loop] [--server-java PATH] [--server-opts "JVM OPTIONS"]
                                   [--jfr FILE] [--warmup 30s] [--card-rounds N] [--card-keys rsa2048,p256]
                                   [--scan-pairs N]
              --duration     timed renewal phase (status checks run for half of it); default 30s
              --ca-key       key type of the server's CA (created fresh for the run); default rsa2048
              --holder-key   software key type of the simulated cards; default p256
              --threads      concurrent simulated holders (closed loop), also the crypto bound's threads; default 4
              --csr-in-loop  sign the renewal CSRs inside the timed loop (default: prepared before it)
              --server-java  java executable for the server; default: the bench's own java
              --server-opts  JVM options of the server; default -Xmx512m
              --jfr FILE     record the server with Java Flight Recorder during the timed renewal phase
              --warmup       longest warm-up; it ends earlier once the server's JIT uses < 10% of its CPU;
                             default four times the duration, between 8 s and 120 s
              --max-holders  most renewals prepared for the timed part; default 20000
              --card-rounds  renewals of the SoftHSM2 card per key type (0 skips the card); default 3
              --card-keys    card key types to time on SoftHSM2; default rsa2048,p256
              --scan-pairs   card pairs seeded into the server's schema for the reminder scan, timed through
                             POST /api/v1/admin/reminders/scans (0 skips the scan); default 1000000
            bin/cardrenew-bench also takes:
              --java PATH    java for the bench and, unless --server-java is given, for the server
              --keep         keep the work directory (server log, data) and the PostgreSQL schema
            """;

    /** Parses the command line; the launcher supplies the paths and the PostgreSQL schema. */
    static BenchOptions parse(String[] args) {
        Duration duration = Duration.ofSeconds(30);
        CaKeyType caKey = CaKeyType.RSA_2048;
        HolderKeyType holderKey = HolderKeyType.P256;
        int threads = 4;
        boolean csrInLoop = false;
        Path serverJar = Path.of("server/target/cardrenew-server-exec.jar");
        String serverJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> serverOpts = List.of("-Xmx512m");
        String pgUrl = "jdbc:postgresql://127.0.0.1:5432/cardrenew_test";
        String pgUser = "cardrenew_test";
        String pgPassword = env("CARDRENEW_BENCH_PG_PASSWORD", "cardrenew_test");
        Path workDir = null;
        Path jfr = null;
        int cardRounds = 3;
        List<KeySpec> cardKeys = List.of(KeySpec.RSA_2048, KeySpec.EC_P256);
        Path softhsm = Path.of("/usr/lib/softhsm/libsofthsm2.so");
        String cardToken = "cardrenew-bench";
        char[] cardPin = env("CARDRENEW_BENCH_CARD_PIN", "123456").toCharArray();
        int maxHolders = 20_000;
        Duration warmup = null;
        long scanPairs = DEFAULT_SCAN_PAIRS;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--duration" -> { duration = duration(need(a, v)); i++; }
                case "--ca-key" -> { caKey = CaKeyType.fromConfigName(need(a, v)); i++; }
                case "--holder-key" -> { holderKey = HolderKeyType.of(need(a, v)); i++; }
                case "--threads" -> { threads = positive(a, need(a, v)); i++; }
                case "--csr-in-loop" -> csrInLoop = true;
                case "--server-jar" -> { serverJar = Path.of(need(a, v)); i++; }
                case "--server-java" -> { serverJava = need(a, v); i++; }
                case "--server-opts" -> { serverOpts = need(a, v).isBlank() ? List.of() : Arrays.asList(v.trim().split("\\s+")); i++; }
                case "--pg-url" -> { pgUrl = need(a, v); i++; }
                case "--pg-user" -> { pgUser = need(a, v); i++; }
                case "--work-dir" -> { workDir = Path.of(need(a, v)); i++; }
                case "--jfr" -> { jfr = Path.of(need(a, v)); i++; }
                case "--card-rounds" -> { cardRounds = Integer.parseInt(need(a, v)); i++; }
                case "--card-keys" -> { cardKeys = cardKeys(need(a, v)); i++; }
                case "--softhsm-library" -> { softhsm = Path.of(need(a, v)); i++; }
                case "--card-token" -> { cardToken = need(a, v); i++; }
                case "--max-holders" -> { maxHolders = positive(a, need(a, v)); i++; }
                case "--warmup" -> { warmup = duration(need(a, v)); i++; }
                case "--scan-pairs" -> { scanPairs = count(a, need(a, v)); i++; }
                case "--help", "-h" -> throw new IllegalArgumentException("");
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (workDir == null) {
            workDir = Path.of(System.getProperty("java.io.tmpdir"), "cardrenew-bench-" + ProcessHandle.current().pid());
        }
        return new BenchOptions(duration, caKey, holderKey, threads, csrInLoop, serverJar, serverJava, serverOpts, pgUrl,
                pgUser, pgPassword, workDir, jfr, cardRounds, cardKeys, softhsm, cardToken, cardPin, maxHolders, warmup,
                scanPairs);
    }

    /** ISO-8601 ({@code PT30S}) or a number with a unit ({@code 30s}, {@code 2m}, {@code 500ms}); a bare number is seconds. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt") || t.startsWith("p")) {
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
    }

    private static List<KeySpec> cardKeys(String list) {
        List<KeySpec> specs = new ArrayList<>();
        for (String name : list.split(",")) {
            specs.add(KeySpec.ofCliName(name.trim())
                    .orElseThrow(() -> new IllegalArgumentException("card key must be rsa2048, rsa3072, p256 or p384: " + name)));
        }
        return specs;
    }

    private static String need(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static int positive(String option, String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }

    /** A count of 0 or more; {@code 1_000_000} and {@code 1,000,000} are read as 1000000. */
    static long count(String option, String value) {
        long n;
        try {
            n = Long.parseLong(value.trim().replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number: " + value);
        }
        if (n < 0) {
            throw new IllegalArgumentException(option + " must be 0 or more");
        }
        return n;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
