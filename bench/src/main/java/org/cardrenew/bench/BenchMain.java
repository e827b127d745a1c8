package org.cardrenew.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cardrenew.agent.card.KeySpec;
import org.cardrenew.protocol.RaClient;

/**
 * {@code bin/cardrenew-bench}: starts the real server on PostgreSQL, drives the renewal and status API with many
 * simulated holders, measures the crypto-only bound of the same work, the card side on SoftHSM2, and prints a
 * report whose last line is {@link SummaryLine}.
 */
public final class BenchMain {

    private static final PrintStream OUT = System.out;

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("cardrenew-bench: " + e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(o.serverJar())) {
            System.err.println("cardrenew-bench: " + o.serverJar()
                    + " not found; build first: ./mvnw -B -ntp -DskipTests package");
            System.exit(1);
        }
        System.exit(new BenchMain().run(o));
    }

    private int run(BenchOptions o) throws Exception {
        Report r = new Report(OUT);
        String loadBefore = Machine.loadAverage();
        r.title("CardRenew benchmark " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        r.line("machine", Machine.describe() + "; load average before the run " + loadBefore);
        r.line(
                "code",
                "repository at " + System.getenv().getOrDefault("CARDRENEW_BENCH_GIT", "unknown")
                        + "; server jar built "
                        + Files.getLastModifiedTime(o.serverJar())
                                .toInstant()
                                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        r.line("bench JVM", Machine.thisJdk());
        r.line("server JVM", Machine.jdkOf(o.serverJava()) + "  " + String.join(" ", o.serverJvmOptions()));
        r.line(
                "set-up",
                String.format(
                        Locale.ROOT,
                        "CA key %s, holder keys %s, %d threads, %s, CSRs %s",
                        o.caKey().configName(),
                        o.holderKey().cliName(),
                        o.threads(),
                        o.pgUrl().replaceAll("password=[^&]*", "password=…"),
                        o.csrInLoop() ? "signed inside the timed loop" : "prepared before the timed part"));
        r.line("server to PostgreSQL", postgresLink(o));

        ServerRun m = measureServer(o, r);
        reportServer(o, r, m);
        CryptoBound bound = boundSection(o, r, m);
        floorSection(o, r, m);
        opensslSection(o, r);
        cardSection(o, r, bound);

        scanSection(o, r, m.scan, m.scanFailure);

        return targetsSection(o, r, m, loadBefore);
    }

    /** What the server phases measured, filled in as they run and reported after the server stopped. */
    private static final class ServerRun {
        RenewalLoad.Result load;
        StatusLoad.Result status;
        ProcessCpu.Usage renewCpu;
        ProcessCpu.Usage statusCpu;
        double heapPeak;
        ServerMetrics.Heap heapBefore;
        ServerMetrics.Heap heapAfter;
        double statusHeapPeak;
        final Errors setupErrors = new Errors();
        int enrolled;
        double enrollSeconds;
        int prepared;
        double prepareSeconds;
        Map<String, Double> renewThreads;
        Map<String, Double> statusThreads;
        double renewPg;
        double statusPg;
        SqlCounts.Delta renewSql;
        SqlCounts.Delta statusSql;
        WalCounts.Delta renewWal;
        WalCounts.Delta statusWal;
        WarmUp warm;
        /** The bench's transport (null with the JDK client): bytes per call of the timed renewals. */
        KeepAliveTransport transport;

        List<KeepAliveTransport.Traffic> renewTraffic = List.of();
        ReminderScanPhase.Result scan;
        String scanFailure;
        /** The server's own start-up line naming its crypto modules. */
        String serverCrypto = "";
        /** --profile: async-profiler's library, once copied out; null when not asked for or not available. */
        Path profiler;
        /** Why --profile took no profile (no library for this machine, the agent refused), or null. */
        String profileFailure;
        /** Set by {@link #boundSection}: the crypto-only bound and the CPU-normalised ratio to it. */
        CryptoBound.Result bound;

        double cpuRatio;
        CpuPerUnit renewalCpu;
        CpuPerUnit checkCpu;
        /**
         * Set by {@link #floorSection}: the CPU-normalised ratio of a design with nothing but the floors beside the
         * crypto (NaN: not measured).
         */
        double ratioCeiling = Double.NaN;
    }

    /** Starts the server, enrolls and warms up the cards, then times renewals, status checks and the reminder scan. */
    private ServerRun measureServer(BenchOptions o, Report r) throws Exception {
        ServerRun m = new ServerRun();
        SecureRandom random = new SecureRandom();
        String adminToken = HexFormat.of().formatHex(random.generateSeed(16));
        String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
        Clock clock = Clock.systemUTC();
        progress("starting the server (" + o.serverJar() + ")");
        long t0 = System.nanoTime();
        try (ServerProcess server = ServerProcess.start(
                new ServerProcess.Settings(
                        o.serverJava(),
                        o.serverJvmOptions(),
                        o.serverJar(),
                        o.workDir().resolve("server"),
                        o.caKey().configName(),
                        o.serverPgUrl(),
                        o.pgUser(),
                        o.pgPassword(),
                        adminToken,
                        HexFormat.of().formatHex(random.generateSeed(16))),
                Duration.ofMinutes(3))) {
            r.line(
                    "server",
                    String.format(
                            Locale.ROOT,
                            "pid %d at %s, healthy after %.1f s; log %s",
                            server.pid(),
                            server.base(),
                            (System.nanoTime() - t0) / 1e9,
                            server.log()));
            m.serverCrypto = server.cryptoModules();
            r.line("server crypto", m.serverCrypto);
            if (o.profile() != null) {
                m.profiler = CpuProfile.library(o.workDir().resolve("profiler")).orElse(null);
                if (m.profiler == null) {
                    m.profileFailure = "async-profiler has no library for " + System.getProperty("os.name") + " "
                            + System.getProperty("os.arch");
                }
            }
            // The agent's RaClient over a lean kept-alive HTTP/1.1 transport, or (-Dcardrenew.bench.http=jdk) over the
            // JDK's HttpClient as the agent itself uses it: the load generator shares the two cores with the server.
            boolean jdkHttp = "jdk".equals(System.getProperty("cardrenew.bench.http"));
            m.transport = jdkHttp ? null : new KeepAliveTransport(30_000);
            RaClient ra = jdkHttp
                    ? new RaClient(
                            server.base(),
                            "en",
                            HttpClient.newBuilder()
                                    .version(HttpClient.Version.HTTP_1_1)
                                    .connectTimeout(Duration.ofSeconds(10))
                                    .build())
                    : new RaClient(server.base(), "en", m.transport);
            r.line(
                    "client HTTP",
                    jdkHttp
                            ? "JDK HttpClient (HTTP/1.1), as the agent"
                            : "one kept-alive HTTP/1.1 connection per thread (bench transport); -Dcardrenew.bench.http=jdk for the JDK client");

            // Set-up, untimed: enroll the cards, then generate their next keys (client side only).
            int holderCount = Math.max(16, o.threads() * 4);
            int statusCount = Math.max(50, o.threads() * 10);
            progress("enrolling " + (holderCount + statusCount) + " simulated cards ("
                    + o.holderKey().cliName() + ")");
            long e0 = System.nanoTime();
            List<SimulatedHolder> holders = HolderPool.enroll(
                    ra, adminToken, "h" + runId, holderCount, o.threads(), o.holderKey(), clock, m.setupErrors);
            List<SimulatedHolder> statusPool = HolderPool.enroll(
                    ra, adminToken, "s" + runId, statusCount, o.threads(), o.holderKey(), clock, m.setupErrors);
            m.enrollSeconds = (System.nanoTime() - e0) / 1e9;
            m.enrolled = holders.size() + statusPool.size();
            if (holders.isEmpty() || statusPool.isEmpty()) {
                throw new IllegalStateException(
                        "no card could be enrolled: " + errorList(m.setupErrors) + "\n" + server.tail(30));
            }
            // Warm up until the server's JIT compilers are mostly done: a node in service runs compiled code, and on
            // two cores C2 alone takes a third of the CPU for the first minute or two (measured: still 38% after 20 s
            // on an idle machine). By default up to four times the duration, 8 s to 120 s.
            Duration maxWarmup = o.warmup() != null
                    ? o.warmup()
                    : Duration.ofSeconds(
                            Math.max(8, Math.min(120, 4 * o.duration().toSeconds())));
            progress("warming up (until the server's JIT uses < 10% of its CPU, at most " + maxWarmup.toSeconds()
                    + " s)");
            if (o.jfr() != null) {
                server.startWarmupRecording();
            }
            m.warm = warmUp(server, ra, holders, o, maxWarmup, m.setupErrors);
            List<SimulatedHolder> warmCards = m.warm.cards();
            // Enough generations for the timed part: twice the rate at the end of the warm-up.
            int needed = (int) Math.min(
                    o.maxHolders(),
                    Math.ceil(Math.max(m.warm.lastRate(), 20) * o.duration().toMillis() / 1000.0 * 2)
                            + o.threads() * 4L);
            progress("preparing " + needed + " renewals (new key pairs" + (o.csrInLoop() ? "" : " and CSRs") + ")");
            long p0 = System.nanoTime();
            // Cards whose warm-up renewal failed are in an unknown state: they were left out.
            List<SimulatedHolder> usable = new ArrayList<>(warmCards);
            if (usable.isEmpty()) {
                throw new IllegalStateException(
                        "every card failed during the warm-up: " + errorList(m.warm.errors()) + "\n" + server.tail(20));
            }
            HolderPool.prepare(usable, needed, o.holderKey(), o.csrInLoop(), m.setupErrors);
            m.prepareSeconds = (System.nanoTime() - p0) / 1e9;
            m.prepared = needed;

            timeRenewals(o, server, ra, usable, m);
            timeStatusChecks(o, server, ra, statusPool, m);
            // Last while the server runs: the seeded pairs would otherwise be part of every query above.
            if (o.scanPairs() > 0) {
                progress("reminder scan: seeding " + o.scanPairs() + " card pairs into the server's schema");
                try {
                    m.scan = ReminderScanPhase.run(
                            o.pgUrl(),
                            o.pgUser(),
                            o.pgPassword(),
                            o.scanPairs(),
                            HttpClient.newBuilder()
                                    .connectTimeout(Duration.ofSeconds(10))
                                    .build(),
                            server.base(),
                            adminToken);
                } catch (Exception e) {
                    m.scanFailure = e.toString();
                }
            }
            progress("stopping the server");
        }
        return m;
    }

    /** The timed renewals: CPU of the server, its PostgreSQL backends and the bench, heap, SQL counts, latencies. */
    private static void timeRenewals(
            BenchOptions o, ServerProcess server, RaClient ra, List<SimulatedHolder> usable, ServerRun m)
            throws Exception {
        try (ServerMetrics metrics = server.metrics()) {
            m.heapBefore = metrics.scrape();
            if (o.jfr() != null) {
                server.startRecording(o.jfr());
            }
            progress("timed renewals for " + o.duration().toMillis() / 1000.0 + " s on " + o.threads() + " threads");
            metrics.startSampling();
            profiler(m, server::startProfile);
            ProcessCpu.Snapshot cpu = ProcessCpu.Snapshot.take(server.pid());
            var threadsBefore = ProcessCpu.threads(server.pid());
            var pgBefore = PostgresCpu.backends(o);
            var sqlBefore = SqlCounts.take(o.pgUrl(), o.pgUser(), o.pgPassword());
            var walBefore = WalCounts.take(o.pgUrl(), o.pgUser(), o.pgPassword());
            if (m.transport != null) {
                m.transport.resetTraffic();
            }
            m.load = RenewalLoad.run(ra, usable, o.threads(), o.duration(), o.csrInLoop());
            if (m.transport != null) {
                m.renewTraffic = m.transport.traffic();
            }
            m.renewWal = WalCounts.between(
                    walBefore, WalCounts.take(o.pgUrl(), o.pgUser(), o.pgPassword()), m.load.completed());
            m.renewSql = SqlCounts.between(
                    sqlBefore, SqlCounts.take(o.pgUrl(), o.pgUser(), o.pgPassword()), m.load.completed());
            m.renewCpu = cpu.since();
            m.renewThreads = ProcessCpu.threadGroupsSince(server.pid(), threadsBefore);
            m.renewPg = PostgresCpu.since(pgBefore, o) / m.load.elapsedSeconds();
            profiler(m, lib -> server.stopProfile(lib, o.profile()));
            metrics.close();
            m.heapPeak = metrics.peakUsed();
            m.heapAfter = metrics.scrape();
            if (o.jfr() != null) {
                server.stopRecording();
            }
        }
    }

    /** Status checks of cards that stay renewable (each check issues a renewal token, nothing is renewed). */
    private static void timeStatusChecks(
            BenchOptions o, ServerProcess server, RaClient ra, List<SimulatedHolder> pool, ServerRun m)
            throws Exception {
        try (ServerMetrics metrics = server.metrics()) {
            Duration statusDuration =
                    Duration.ofMillis(Math.max(3000, o.duration().toMillis() / 2));
            progress("status checks for " + statusDuration.toMillis() / 1000.0 + " s");
            if (o.jfr() != null) {
                server.startStatusRecording(statusRecording(o.jfr()));
            }
            metrics.startSampling();
            profiler(m, server::startProfile);
            ProcessCpu.Snapshot cpu = ProcessCpu.Snapshot.take(server.pid());
            var threadsBefore = ProcessCpu.threads(server.pid());
            var pgBefore = PostgresCpu.backends(o);
            var sqlBefore = SqlCounts.take(o.pgUrl(), o.pgUser(), o.pgPassword());
            var walBefore = WalCounts.take(o.pgUrl(), o.pgUser(), o.pgPassword());
            m.status = StatusLoad.run(ra, pool, o.threads(), statusDuration);
            m.statusThreads = ProcessCpu.threadGroupsSince(server.pid(), threadsBefore);
            m.statusWal = WalCounts.between(
                    walBefore, WalCounts.take(o.pgUrl(), o.pgUser(), o.pgPassword()), m.status.checks());
            m.statusSql = SqlCounts.between(
                    sqlBefore, SqlCounts.take(o.pgUrl(), o.pgUser(), o.pgPassword()), m.status.checks());
            m.statusCpu = cpu.since();
            m.statusPg = PostgresCpu.since(pgBefore, o) / m.status.elapsedSeconds();
            profiler(m, lib -> server.stopProfile(lib, statusFile(o.profile(), "collapsed")));
            metrics.close();
            m.statusHeapPeak = metrics.peakUsed();
            if (o.jfr() != null) {
                server.stopStatusRecording();
            }
        }
    }

    /** The status checks' recording beside the renewals' one: {@code x.jfr} → {@code x.status.jfr}. */
    static Path statusRecording(Path renewals) {
        return statusFile(renewals, "jfr");
    }

    /** The status checks' file beside the renewals' one: {@code x.ext} (or {@code x}) → {@code x.status.ext}. */
    static Path statusFile(Path renewals, String extension) {
        String name = renewals.getFileName().toString();
        String base = name.endsWith("." + extension) ? name.substring(0, name.length() - extension.length() - 1) : name;
        return renewals.resolveSibling(base + ".status." + extension);
    }

    /** A call to async-profiler in the server, which may fail. */
    private interface ProfilerCall {
        void run(Path library) throws IOException, InterruptedException;
    }

    /**
     * Runs a --profile call (start before a timed phase's CPU snapshots, so that loading the agent is not counted;
     * stop after its CPU was read). A failure is reported, never fatal: the run goes on without a profile.
     */
    private static void profiler(ServerRun m, ProfilerCall call) {
        if (m.profiler == null || m.profileFailure != null) {
            return;
        }
        try {
            call.run(m.profiler);
        } catch (IOException | RuntimeException e) {
            m.profileFailure = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            m.profileFailure = "interrupted";
        }
    }

    private static void reportServer(BenchOptions o, Report r, ServerRun m) {
        r.section("set-up (untimed)");
        r.line(
                "enrolled cards",
                String.format(
                        Locale.ROOT,
                        "%d in %.1f s (%.0f/s), set-up errors %d%s",
                        m.enrolled,
                        m.enrollSeconds,
                        m.enrolled / m.enrollSeconds,
                        m.setupErrors.total(),
                        errorList(m.setupErrors)));
        r.line(
                "prepared renewals",
                String.format(
                        Locale.ROOT,
                        "%d (new keys%s) in %.1f s, on %d cards renewing in turn",
                        m.prepared,
                        o.csrInLoop() ? "" : " + CSRs",
                        m.prepareSeconds,
                        Math.max(16, o.threads() * 4)));
        r.line(
                "warm-up renewals",
                String.format(
                        Locale.ROOT,
                        "%d in %.1f s, %.1f/s at the end; server JIT at %.0f%% of its CPU at the end; errors %d%s",
                        m.warm.completed(),
                        m.warm.elapsedSeconds(),
                        m.warm.lastRate(),
                        100 * m.warm.jitShare(),
                        m.warm.errors().total(),
                        errorList(m.warm.errors())));

        r.section(String.format(
                Locale.ROOT,
                "renewals: challenge → status → renewal → confirmation, %d threads, %.1f s",
                o.threads(),
                m.load.elapsedSeconds()));
        r.line(
                "renewals/s",
                String.format(
                        Locale.ROOT,
                        "%.1f  (%d completed, %d errors%s)%s",
                        m.load.perSecond(),
                        m.load.completed(),
                        m.load.errors().total(),
                        errorList(m.load.errors()),
                        m.load.exhausted() ? "  — the prepared holders ran out before the deadline" : ""));
        r.line("latency ms", percentiles(m.load.total()));
        Map<RenewalLoad.Step, Latencies> steps = m.load.steps();
        StringBuilder perCall = new StringBuilder();
        for (RenewalLoad.Step s : RenewalLoad.Step.values()) {
            perCall.append(String.format(
                    Locale.ROOT,
                    "%s %.1f/%.1f  ",
                    s.name().toLowerCase(Locale.ROOT),
                    steps.get(s).percentileMillis(50),
                    steps.get(s).percentileMillis(99)));
        }
        r.line("per call p50/p99 ms", perCall.toString().trim());
        if (!m.renewTraffic.isEmpty()) {
            r.line("bytes per call", "request / answer (status line, headers and body as sent; answer body alone):");
            for (KeepAliveTransport.Traffic t : m.renewTraffic) {
                r.item(String.format(
                        Locale.ROOT,
                        "%-48s %6.0f / %6.0f (%6.0f)",
                        t.call(),
                        t.requestBytes(),
                        t.answerBytes(),
                        t.answerBodyBytes()));
            }
        }
        r.line("CPU", cpu(m.renewCpu) + String.format(Locale.ROOT, ", its PostgreSQL backends %.2f cores", m.renewPg));
        r.line("SQL per renewal", m.renewSql.line().replace("unit", "renewal"));
        for (SqlCounts.Sql q :
                m.renewSql.top().subList(0, Math.min(12, m.renewSql.top().size()))) {
            r.item(statementLine(q, m.load.completed()));
        }
        r.line("WAL per renewal", m.renewWal.line().replace("unit", "renewal"));
        StringBuilder groups = new StringBuilder();
        m.renewThreads.forEach((g, sec) -> groups.append(String.format(
                Locale.ROOT,
                "%s %.0f%%  ",
                g,
                100 * sec / Math.max(1e-9, m.renewCpu.serverCores() * m.load.elapsedSeconds()))));
        r.line("server CPU by thread", groups.toString().trim());
        r.line(
                "server heap",
                String.format(
                        Locale.ROOT,
                        "peak %.0f MB used (max %.0f MB, committed %.0f MB); GC %d pauses, %.2f s during the phase; live data after GC %s",
                        m.heapPeak / 1e6,
                        m.heapAfter.max() / 1e6,
                        m.heapAfter.committed() / 1e6,
                        Math.round(m.heapAfter.gcPauses() - m.heapBefore.gcPauses()),
                        m.heapAfter.gcSeconds() - m.heapBefore.gcSeconds(),
                        Double.isNaN(m.heapAfter.liveData()) || m.heapAfter.liveData() == 0
                                ? "n/a"
                                : String.format(Locale.ROOT, "%.0f MB", m.heapAfter.liveData() / 1e6)));
        if (o.jfr() != null) {
            r.line("JFR", o.jfr() + " (jfr print --events jdk.ExecutionSample " + o.jfr() + ")");
        }

        if (o.jfr() != null) {
            r.section("profile of the server during the timed renewals (" + o.jfr() + ")");
            try {
                // Derived: the request threads' CPU over the phase (/proc/<pid>/task) per completed renewal, shared out
                // by
                // the JFR execution samples of those threads, classified by the frames on each stack
                // (JfrBreakdown.Work).
                // JIT, GC and the other threads are not sampled by JFR: their CPU is listed beside, from /proc.
                JfrBreakdown.WorkSplit split = JfrBreakdown.work(o.jfr());
                double perRenewal = 1000.0 / Math.max(1, m.load.completed());
                r.line(
                        "server CPU per renewal",
                        threadsLine(m.renewThreads, perRenewal, split.total() + " JFR samples"));
                for (String l : split.lines(m.renewThreads.getOrDefault("request threads", 0.0) * perRenewal)) {
                    r.item(l);
                }
                if (m.serverCrypto.contains("AmazonCorrettoCryptoProvider")) {
                    // JFR's execution samples see threads running Java code only; ACCP computes in native code.
                    r.item("  (native crypto runs outside Java, where JFR's execution samples do not look: the crypto"
                            + " share above is too low and the others too high; the bound's per-operation times"
                            + " measure it)");
                }
                for (String l : JfrBreakdown.lines(o.jfr())) {
                    r.item(l);
                }
            } catch (Exception e) {
                r.line("profile", "cannot read the recording: " + e);
            }
        }

        if (o.profile() != null) {
            r.section("CPU profile of the server during the timed renewals (async-profiler: Java, native and kernel)");
            profileLines(r, m, o.profile(), m.renewThreads, 1000.0 / Math.max(1, m.load.completed()), "renewal");
        }

        r.section(String.format(
                Locale.ROOT,
                "status checks: challenge → status (RENEWABLE, token issued), %d threads, %.1f s",
                o.threads(),
                m.status.elapsedSeconds()));
        r.line(
                "checks/s",
                String.format(
                        Locale.ROOT,
                        "%.1f  (%d checks, %d errors%s) = %.1f× renewals/s",
                        m.status.perSecond(),
                        m.status.checks(),
                        m.status.errors().total(),
                        errorList(m.status.errors()),
                        m.load.perSecond() > 0 ? m.status.perSecond() / m.load.perSecond() : 0));
        r.line("latency ms", percentiles(m.status.latencies()));
        r.line(
                "CPU",
                cpu(m.statusCpu) + String.format(Locale.ROOT, ", its PostgreSQL backends %.2f cores", m.statusPg));
        m.checkCpu = CpuPerUnit.of(
                m.statusCpu, m.statusPg, m.statusThreads, m.status.elapsedSeconds(), m.status.perSecond());
        r.line("CPU per check", m.checkCpu.line());
        r.line("SQL per check", m.statusSql.line().replace("unit", "check"));
        r.line("WAL per check", m.statusWal.line().replace("unit", "check"));
        r.line("server heap", String.format(Locale.ROOT, "peak %.0f MB used", m.statusHeapPeak / 1e6));
        if (o.jfr() != null) {
            Path recording = statusRecording(o.jfr());
            try {
                // The same derivation as the renewals' profile, per completed check.
                JfrBreakdown.WorkSplit split = JfrBreakdown.work(recording);
                double perCheck = 1000.0 / Math.max(1, m.status.checks());
                double requestThreads = m.statusThreads.getOrDefault("request threads", 0.0) * perCheck;
                r.line(
                        "server CPU per check",
                        threadsLine(m.statusThreads, perCheck, split.total() + " JFR samples of " + recording));
                for (String l : split.lines(requestThreads)) {
                    r.item(l);
                }
                for (String l : JfrBreakdown.lines(recording)) {
                    r.item(l);
                }
            } catch (Exception e) {
                r.line("profile", "cannot read the status recording: " + e);
            }
        }
        if (o.profile() != null) {
            profileLines(
                    r,
                    m,
                    statusFile(o.profile(), "collapsed"),
                    m.statusThreads,
                    1000.0 / Math.max(1, m.status.checks()),
                    "check");
        }
    }

    /**
     * The server's CPU per unit (renewal, check) from /proc by thread group; the request threads' share is split below
     * it by {@code samples}.
     */
    private static String threadsLine(Map<String, Double> threads, double perUnit, String samples) {
        return String.format(
                Locale.ROOT,
                "%.2f ms: request threads %.2f ms (split below by %s), JIT %.2f, GC and VM %.2f, other %.2f",
                threads.values().stream().mapToDouble(Double::doubleValue).sum() * perUnit,
                threads.getOrDefault("request threads", 0.0) * perUnit,
                samples,
                threads.getOrDefault("JIT compiler", 0.0) * perUnit,
                threads.getOrDefault("GC and VM", 0.0) * perUnit,
                (threads.getOrDefault("other", 0.0) + threads.getOrDefault("pools", 0.0)) * perUnit);
    }

    /**
     * --profile's split of a phase: the request threads' CPU per unit (from /proc) shared out by async-profiler's
     * samples of those threads, classified as the JFR split is ({@link JfrBreakdown.Work}), with native and kernel
     * frames counted under the Java frames that called them.
     */
    private static void profileLines(
            Report r, ServerRun m, Path file, Map<String, Double> threads, double perUnit, String unit) {
        if (m.profileFailure != null) {
            r.line("profile", "not taken: " + m.profileFailure);
            return;
        }
        try {
            CpuProfile.Profile profile = CpuProfile.read(file);
            r.line(
                    "server CPU per " + unit,
                    threadsLine(threads, perUnit, profile.requests().total() + " samples of " + file));
            for (String l : profile.requests().lines(threads.getOrDefault("request threads", 0.0) * perUnit)) {
                r.item(l);
            }
            r.item(String.format(
                    Locale.ROOT,
                    "  %.0f%% of the request threads' samples are in the kernel (socket reads and writes to PostgreSQL"
                            + " and the clients, threads put to sleep and woken), counted above under their callers",
                    100 * profile.kernelShare()));
            r.item("samples of the whole server by thread group:");
            for (String l : profile.groupLines()) {
                r.item(l);
            }
        } catch (IOException | RuntimeException e) {
            r.line("profile", "cannot read " + file + ": " + e);
        }
    }

    /** The same signatures and verifications without HTTP or database, and the ratios of the load to them. */
    private static CryptoBound boundSection(BenchOptions o, Report r, ServerRun m) throws Exception {
        // The bound runs after the server stopped, alone on the machine like the load had it.
        progress("crypto-only bound");
        CryptoBound bound = CryptoBound.prepare(o.workDir().resolve("bound"), o.caKey(), o.holderKey(), 32);
        Duration boundDuration = Duration.ofMillis(Math.max(3000, o.duration().toMillis() / 4));
        // The bound checks and signs through the server's own choice (org.cardrenew.ca.CryptoProviders).
        bound.run(o.threads(), Duration.ofMillis(3000), o.csrInLoop());
        // Three interleaved rounds of each variant, median taken: other load on the machine drifts, and a
        // variant measured in a quieter minute would look faster than it is.
        List<CryptoBound.Result> asLoad = new ArrayList<>();
        List<CryptoBound.Result> csrs = new ArrayList<>();
        List<CryptoBound.Result> withoutNative = new ArrayList<>();
        boolean nativeCrypto = bound.providers().nativeProvider().isPresent();
        Duration slice = Duration.ofMillis(Math.max(1000, boundDuration.toMillis() / 3));
        for (int round = 0; round < 3; round++) {
            asLoad.add(bound.run(o.threads(), slice, o.csrInLoop()));
            if (!o.csrInLoop()) {
                csrs.add(bound.run(o.threads(), Duration.ofMillis(slice.toMillis() / 2), true));
            }
            if (nativeCrypto) {
                withoutNative.add(
                        bound.run(o.threads(), Duration.ofMillis(slice.toMillis() / 2), o.csrInLoop(), false));
            }
        }
        CryptoBound.Result b = CryptoBound.median(asLoad);
        CryptoBound.Result withCsr = o.csrInLoop() ? b : CryptoBound.median(csrs);
        r.section(String.format(
                Locale.ROOT,
                "crypto-only bound: the same signatures and verifications, no HTTP, no database,"
                        + " %d threads (median of 3 interleaved rounds)",
                o.threads()));
        r.line(
                "bound/s",
                String.format(
                        Locale.ROOT,
                        "%.1f, %.1f ms CPU per renewal  (%s; the server's providers; %s)",
                        b.perSecond(),
                        b.cpuMillisPerRenewal(),
                        o.csrInLoop()
                                ? "CSR signatures included, as in the loop"
                                : "CSR signatures excluded: prepared before the timed part, as in the load",
                        providers(bound)));
        if (!o.csrInLoop()) {
            r.line(
                    "incl. CSR signing",
                    String.format(
                            Locale.ROOT, "%.1f/s (the card's two CSR signatures counted too)", withCsr.perSecond()));
        }
        double sum = 0;
        for (CryptoBound.Op op : CryptoBound.Op.values()) {
            double micros = withCsr.meanMicros().get(op);
            if (!Double.isNaN(micros)) {
                sum += micros;
            }
        }
        r.line("per operation", "mean µs per renewal on " + o.threads() + " threads (incl. CSR signing run), share:");
        for (CryptoBound.Op op : CryptoBound.Op.values()) {
            double micros = withCsr.meanMicros().get(op);
            r.item(String.format(
                    Locale.ROOT, "%-54s ×%d %8.0f µs %5.1f%%", op.label, op.perRenewal, micros, 100 * micros / sum));
        }
        if (nativeCrypto) {
            CryptoBound.Result off = CryptoBound.median(withoutNative);
            r.line(
                    "what-if: no native",
                    String.format(
                            Locale.ROOT,
                            "%.1f/s, %.1f ms CPU per renewal, with native crypto off on the server's side (the CA signing"
                                    + " through the JDK, BouncyCastle checking the holders)",
                            off.perSecond(),
                            off.cpuMillisPerRenewal()));
        }
        r.line("JCA providers", "one thread, 1 s each (where the time of a signature goes on this JDK):");
        for (ProviderSpeed.Line l : ProviderSpeed.measure(o.caKey(), o.holderKey())) {
            r.item(l.toString());
        }
        r.line("ratio", String.format(Locale.ROOT, "end-to-end ÷ bound = %.2f", m.load.perSecond() / b.perSecond()));
        CpuPerUnit renewal =
                CpuPerUnit.of(m.renewCpu, m.renewPg, m.renewThreads, m.load.elapsedSeconds(), m.load.perSecond());
        double steadyMs = renewal.steadyMs();
        m.renewalCpu = renewal;
        m.cpuRatio = b.cpuMillisPerRenewal() / steadyMs;
        r.line(
                "CPU per renewal",
                String.format(
                        Locale.ROOT,
                        "end-to-end: server %.1f ms (of which JIT compilation %.1f), client %.1f, PostgreSQL %.1f;"
                                + " crypto bound %.1f ms",
                        renewal.serverMs(),
                        renewal.jitMs(),
                        renewal.clientMs(),
                        renewal.postgresMs(),
                        b.cpuMillisPerRenewal()));
        r.line(
                "ratio, CPU-normalised",
                String.format(
                        Locale.ROOT,
                        "bound CPU ÷ end-to-end CPU without JIT = %.1f ÷ %.1f = %.2f (what the wall-clock ratio would be on an"
                                + " otherwise idle machine once compiled; robust to other load)",
                        b.cpuMillisPerRenewal(),
                        steadyMs,
                        m.cpuRatio));
        m.bound = b;
        return bound;
    }

    /**
     * What a durable renewal costs on this machine at the least, whatever its framework: the PostgreSQL work of the four
     * commits the protocol forces and the bytes of the four calls (issue 14, session 18), and the ratio they leave.
     */
    private static void floorSection(BenchOptions o, Report r, ServerRun m) {
        progress("floor: the least PostgreSQL and HTTP work of a renewal");
        Duration warm = Duration.ofSeconds(2);
        Duration timed = Duration.ofMillis(Math.max(3000, o.duration().toMillis() / 6));
        r.section(
                "floor: the least a durable renewal costs here, whatever the framework (" + o.threads() + " threads)");
        DurableFloor.Result pg;
        TransportFloor.Result http;
        List<TransportFloor.Exchange> calls = renewalCalls(m.renewTraffic);
        try {
            String name = "cardrenew-bench-floor-" + ProcessHandle.current().pid();
            pg = DurableFloor.run(
                    o.pgUrl(), o.pgUrlNamed(name), name, o.pgUser(), o.pgPassword(), o.threads(), warm, timed);
            http = TransportFloor.run(calls, o.threads(), warm, timed);
        } catch (Exception e) {
            r.line("floor", "n/a (" + e.getMessage() + ")");
            return;
        }
        double per = 1000 / Math.max(m.load.perSecond(), 1e-9);
        r.line(
                "PostgreSQL floor",
                String.format(
                        Locale.ROOT,
                        "%.0f renewals/s, %.2f ms of PostgreSQL CPU per renewal (4 commits, 8 round trips, minimal"
                                + " tables, no audit chain); the load's: %.2f ms",
                        pg.perSecond(),
                        pg.postgresMillisPerRenewal(),
                        m.renewPg * per));
        r.line(
                "transport floor",
                String.format(
                        Locale.ROOT,
                        "%.0f exchanges/s, %.3f ms of CPU per renewal (its %d calls, %s bytes, kept-alive loopback,"
                                + " client and server); the load's server and client: %.2f ms",
                        http.perSecond(),
                        http.millisPerRenewal(),
                        calls.size(),
                        calls.stream()
                                .map(c -> c.requestBytes() + "/" + c.answerBytes())
                                .collect(java.util.stream.Collectors.joining(" ")),
                        (m.renewCpu.serverCores() + m.renewCpu.benchCores()) * per));
        double crypto = m.bound.cpuMillisPerRenewal();
        m.ratioCeiling = ratioCeiling(crypto, pg.postgresMillisPerRenewal(), http.millisPerRenewal());
        r.line(
                "ratio ceiling",
                String.format(
                        Locale.ROOT,
                        "bound CPU ÷ (bound + PostgreSQL floor + transport floor) = %.2f ÷ (%.2f + %.2f + %.3f) = %.2f"
                                + " (the most a design with these commits and round trips can reach here, CPU-normalised;"
                                + " the load's %.2f)",
                        crypto,
                        crypto,
                        pg.postgresMillisPerRenewal(),
                        http.millisPerRenewal(),
                        m.ratioCeiling,
                        m.cpuRatio));
    }

    /** The CPU-normalised ratio of a design whose only costs beside the crypto are the floors. */
    static double ratioCeiling(double cryptoMillis, double postgresFloorMillis, double transportFloorMillis) {
        return cryptoMillis / (cryptoMillis + postgresFloorMillis + transportFloorMillis);
    }

    /** The renewal API's calls with the sizes the load sent and received; the session-18 sizes without them. */
    static List<TransportFloor.Exchange> renewalCalls(List<KeepAliveTransport.Traffic> traffic) {
        List<TransportFloor.Exchange> calls = new ArrayList<>();
        for (KeepAliveTransport.Traffic t : traffic) {
            if (t.call().startsWith("POST /api/")) {
                calls.add(new TransportFloor.Exchange(
                        (int) Math.round(t.requestBytes()), (int) Math.round(t.answerBytes())));
            }
        }
        return calls.isEmpty() ? TransportFloor.RENEWAL : List.copyOf(calls);
    }

    private static void opensslSection(BenchOptions o, Report r) {
        progress("openssl speed");
        StringBuilder notes = new StringBuilder();
        Map<HolderKeyType, OpensslSpeed.Speed> speeds = OpensslSpeed.measure(
                List.of(
                        o.caKey().configName().equals("p256") ? HolderKeyType.P256 : HolderKeyType.RSA_2048,
                        o.holderKey()),
                notes);
        StringBuilder line = new StringBuilder();
        speeds.forEach((k, v) -> line.append(String.format(
                Locale.ROOT, "%s sign %.0f/s verify %.0f/s; ", k.cliName(), v.signPerSecond(), v.verifyPerSecond())));
        r.line("openssl speed", line.length() == 0 ? notes.toString().trim() : line + "(1 core, -seconds 1)");
        HolderKeyType caAsKey = o.caKey().configName().equals("p256")
                ? HolderKeyType.P256
                : o.caKey().configName().equals("rsa2048") ? HolderKeyType.RSA_2048 : null;
        if (caAsKey != null && speeds.containsKey(caAsKey) && speeds.containsKey(o.holderKey())) {
            int cores = Runtime.getRuntime().availableProcessors();
            r.line(
                    "openssl-equivalent",
                    String.format(
                            Locale.ROOT,
                            "%.0f renewals/s on %d cores for the same signatures at openssl's speed (reference only)",
                            OpensslSpeed.bound(speeds.get(o.holderKey()), speeds.get(caAsKey), o.csrInLoop(), cores),
                            cores));
        }
    }

    /** The targets of the issues, reported and never asserted, then the summary line; the exit code. */
    private static int targetsSection(BenchOptions o, Report r, ServerRun m, String loadBefore) {
        SummaryLine summary = new SummaryLine(
                m.load.perSecond(), m.bound.perSecond(), m.load.total().percentileMillis(99));
        r.section("targets (issue 6; reported, never asserted)");
        r.line(
                "e2e ≥ 70% of bound",
                String.format(
                        Locale.ROOT,
                        "ratio %.2f (CPU-normalised %.2f) at p99 %.0f ms (≤ 250 ms) → %s",
                        summary.ratio(),
                        m.cpuRatio,
                        summary.p99Millis(),
                        summary.ratio() >= 0.7 && summary.p99Millis() <= 250 ? "met" : "NOT met"));
        if (!Double.isNaN(m.ratioCeiling)) {
            r.line(
                    "ratio ceiling here",
                    String.format(
                            Locale.ROOT,
                            "%.2f CPU-normalised, for a design with nothing but the floors beside the crypto (see \"floor\")",
                            m.ratioCeiling));
        }
        double statusRatio = m.load.perSecond() > 0 ? m.status.perSecond() / m.load.perSecond() : 0;
        r.line(
                "status ≥ 5× renewals",
                String.format(Locale.ROOT, "%.1f× → %s", statusRatio, statusRatio >= 5 ? "met" : "NOT met"));
        if (m.renewalCpu != null && m.checkCpu != null && m.checkCpu.steadyMs() > 0) {
            r.line(
                    "  the same by CPU",
                    String.format(
                            Locale.ROOT,
                            "a renewal's CPU ÷ a check's = %.1f ÷ %.2f ms = %.1f× (server without JIT, client and"
                                    + " PostgreSQL: the multiple of the rates if both phases kept the machine as busy;"
                                    + " for reading the line above, not instead of it)",
                            m.renewalCpu.steadyMs(),
                            m.checkCpu.steadyMs(),
                            m.renewalCpu.steadyMs() / m.checkCpu.steadyMs()));
        }
        double peak = Math.max(m.heapPeak, m.statusHeapPeak) / 1e6;
        r.line(
                "heap ≤ 512 MB",
                String.format(Locale.ROOT, "peak %.0f MB used → %s", peak, peak <= 512 ? "met" : "NOT met"));
        r.line("1M-pair scan ≤ 5 s", scanTarget(o, m.scan, m.scanFailure));
        r.line("load average", "before " + loadBefore + ", after " + Machine.loadAverage());
        OUT.println();
        System.err.flush();
        OUT.println(summary);
        OUT.flush();
        return m.load.completed() > 0 ? 0 : 1;
    }

    /** The warm-up: renewals in slices of two seconds until the server's JIT compilers quiet down. */
    record WarmUp(
            int completed,
            double elapsedSeconds,
            double lastRate,
            double jitShare,
            Errors errors,
            List<SimulatedHolder> cards) {}

    private static WarmUp warmUp(
            ServerProcess server,
            RaClient ra,
            List<SimulatedHolder> cards,
            BenchOptions o,
            Duration max,
            Errors setupErrors)
            throws InterruptedException {
        Duration slice = Duration.ofSeconds(2);
        // The timed phases scrape /actuator/prometheus every 2 s for the heap. Without the same scrape here, the first
        // scrape of the timed phase deoptimised the compiled request path (a new return type through the message
        // converters, another security rule: JFR's jdk.Deoptimization events every 2 s) and C2 recompiled it inside
        // the measurement: the JIT took 23-37% of the server's CPU in the timed phase after ending the warm-up at 1-8%.
        try (ServerMetrics sampler = server.metrics()) {
            sampler.startSampling();
            return warmUpInSlices(server, ra, cards, o, max, setupErrors, slice);
        }
    }

    private static WarmUp warmUpInSlices(
            ServerProcess server,
            RaClient ra,
            List<SimulatedHolder> cards,
            BenchOptions o,
            Duration max,
            Errors setupErrors,
            Duration slice)
            throws InterruptedException {
        Errors errors = new Errors();
        List<SimulatedHolder> healthy = cards;
        int completed = 0;
        double elapsed = 0;
        double rate = 0;
        double jit = 1;
        int quietSlices = 0;
        while (elapsed < max.toMillis() / 1000.0 && !healthy.isEmpty()) {
            HolderPool.prepare(
                    healthy,
                    (int) Math.ceil(Math.max(rate, 20) * slice.toSeconds() * 3) + o.threads() * 4,
                    o.holderKey(),
                    o.csrInLoop(),
                    setupErrors);
            var before = ProcessCpu.threads(server.pid());
            RenewalLoad.Result r = RenewalLoad.run(ra, healthy, o.threads(), slice, o.csrInLoop());
            Map<String, Double> groups = ProcessCpu.threadGroupsSince(server.pid(), before);
            double all =
                    groups.values().stream().mapToDouble(Double::doubleValue).sum();
            jit = all > 0 ? groups.getOrDefault("JIT compiler", 0.0) / all : 0;
            completed += r.completed();
            elapsed += r.elapsedSeconds();
            rate = r.perSecond();
            r.errors().byKind().forEach((k, v) -> {
                for (long i = 0; i < v; i++) {
                    errors.record(k);
                }
            });
            healthy = r.healthy();
            // Two quiet slices in a row: C2 works in bursts, and one quiet slice between two bursts ended warm-ups
            // early.
            quietSlices = jit < 0.10 ? quietSlices + 1 : 0;
            if (quietSlices >= 2 && elapsed >= 4) {
                break;
            }
        }
        return new WarmUp(completed, elapsed, rate, jit, errors, healthy);
    }

    private void cardSection(BenchOptions o, Report r, CryptoBound bound) {
        r.section("card side on SoftHSM2: one renewal step by step (agent card library), median ms of " + o.cardRounds()
                + " rounds");
        if (o.cardRounds() == 0) {
            r.line("card", "skipped (--card-rounds 0)");
            return;
        }
        if (System.getenv("SOFTHSM2_CONF") == null) {
            r.line("card", "skipped: SOFTHSM2_CONF is not set (bin/cardrenew-bench creates a token and sets it)");
            return;
        }
        Map<KeySpec, Map<CardSteps.Step, Latencies>> all = new EnumMap<>(KeySpec.class);
        for (KeySpec spec : o.cardKeys()) {
            progress("card steps on SoftHSM2, " + spec.cliName());
            try {
                all.put(
                        spec,
                        CardSteps.measure(
                                o.softhsmLibrary(), o.cardToken(), o.cardPin(), spec, o.cardRounds(), bound.ca()));
            } catch (Exception e) {
                r.line(spec.cliName(), "failed: " + e);
            }
        }
        if (all.isEmpty()) {
            return;
        }
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-44s", "step"));
        all.keySet().forEach(k -> header.append(String.format(Locale.ROOT, "%10s", k.cliName())));
        r.item(header.toString());
        double[] totals = new double[all.size()];
        for (CardSteps.Step step : CardSteps.Step.values()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-44s", step.label));
            int i = 0;
            for (Map<CardSteps.Step, Latencies> m : all.values()) {
                double ms = m.get(step).percentileMillis(50);
                totals[i++] += ms;
                row.append(String.format(Locale.ROOT, "%10.1f", ms));
            }
            r.item(row.toString());
        }
        StringBuilder total = new StringBuilder(String.format(Locale.ROOT, "%-44s", "total (sum of medians)"));
        for (double t : totals) {
            total.append(String.format(Locale.ROOT, "%10.1f", t));
        }
        r.item(total.toString());
    }

    private static void scanSection(BenchOptions o, Report r, ReminderScanPhase.Result scan, String failure) {
        r.section(
                o.scanPairs() == 0
                        ? "reminder scan over certificate pairs in PostgreSQL"
                        : String.format(
                                Locale.ROOT,
                                "reminder scan over %,d certificate pairs in PostgreSQL"
                                        + " (the server's scan, POST /api/v1/admin/reminders/scans)",
                                o.scanPairs()));
        if (o.scanPairs() == 0) {
            r.line("scan", "skipped (--scan-pairs 0): nothing seeded, no figure");
            return;
        }
        if (scan == null) {
            r.line("scan", "failed, no figure: " + failure);
            return;
        }
        StringBuilder steps = new StringBuilder();
        for (ReminderScanPhase.Step s : scan.seeding()) {
            steps.append(
                    String.format(Locale.ROOT, "%s%s %.1f s", steps.length() == 0 ? "" : ", ", s.what(), s.seconds()));
        }
        r.line(
                "seeded",
                String.format(
                        Locale.ROOT,
                        "%,d pairs (2 certificates each, every 100th renewed, every 50th holder without e-mail), notAfter spread"
                                + " over %d days from a year before %s; in %.1f s: %s",
                        scan.pairs(),
                        ReminderScanPhase.SPREAD_DAYS,
                        scan.seededAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        scan.seedSeconds(),
                        steps));
        r.line("scan", scanLine("first (empty outbox)", scan.first()));
        r.line("scan again", scanLine("steady state", scan.again()));
        r.line("outbox after", scan.again().outbox().toString());
    }

    private static String scanLine(String which, ReminderScanPhase.Scan s) {
        return String.format(
                Locale.ROOT,
                "%s %.2f s on the server (%.2f s wall): %,d created, %,d cancelled, %,d overtaken",
                which,
                s.serverMillis() / 1000.0,
                s.wallSeconds(),
                s.created(),
                s.cancelled(),
                s.skipped());
    }

    /** The issue 6 target, judged on the first scan (the one that creates every due reminder) over 1,000,000 pairs. */
    static String scanTarget(BenchOptions o, ReminderScanPhase.Result scan, String failure) {
        if (o.scanPairs() == 0) {
            return "not measured (--scan-pairs 0)";
        }
        if (scan == null) {
            return "not measured (the scan phase failed: " + failure + ")";
        }
        double seconds = scan.first().serverMillis() / 1000.0;
        if (scan.pairs() < BenchOptions.DEFAULT_SCAN_PAIRS) {
            return String.format(
                    Locale.ROOT,
                    "first scan %.2f s over %,d pairs → not judged (fewer than 1,000,000 pairs)",
                    seconds,
                    scan.pairs());
        }
        return String.format(
                Locale.ROOT,
                "first scan %.2f s over %,d pairs (again %.2f s) → %s",
                seconds,
                scan.pairs(),
                scan.again().serverMillis() / 1000.0,
                seconds <= 5 ? "met" : "NOT met");
    }

    /** How the server reaches PostgreSQL, for the report. */
    static String postgresLink(BenchOptions o) {
        return o.pgSocket() == null
                ? "over TCP (" + o.pgUrl().replaceAll("^jdbc:postgresql://([^/]*)/.*$", "$1")
                        + "; CARDRENEW_BENCH_PG_SOCKET names the Unix-domain socket)"
                : "through the Unix-domain socket " + o.pgSocket() + " (CARDRENEW_BENCH_PG_SOCKET=none: over TCP)";
    }

    /**
     * One statement of the SQL list: how often it ran per renewal, PostgreSQL's execution time per call, and per
     * renewal ({@code 4.00 × 37 µs = 148 µs}; until session 11 the line showed the time per renewal alone, which read
     * as a time per call), then the shared buffers each call touched (since session 19).
     */
    static String statementLine(SqlCounts.Sql q, long renewals) {
        double per = Math.max(1, renewals);
        return String.format(
                Locale.ROOT,
                "%5.2f × %4.0f µs = %4.0f µs %4.0f buf  %s",
                q.calls() / per,
                q.calls() == 0 ? 0 : q.execMs() * 1000 / q.calls(),
                q.execMs() * 1000 / per,
                q.calls() == 0 ? 0.0 : (double) q.buffers() / q.calls(),
                shortSql(q.query()));
    }

    /** A normalised statement on one line, at most 110 characters. */
    static String shortSql(String query) {
        String one = query.replaceAll("\\s+", " ").trim();
        return one.length() <= 110 ? one : one.substring(0, 109) + "…";
    }

    private static String percentiles(Latencies l) {
        return String.format(
                Locale.ROOT,
                "p50 %.1f  p95 %.1f  p99 %.1f  max %.1f  (n=%d)",
                l.percentileMillis(50),
                l.percentileMillis(95),
                l.percentileMillis(99),
                l.maxMillis(),
                l.count());
    }

    private static String cpu(ProcessCpu.Usage u) {
        int cores = Runtime.getRuntime().availableProcessors();
        return String.format(
                Locale.ROOT,
                "server %.2f cores (%.0f%% of %d), bench client %.2f cores, machine busy %.0f%%",
                u.serverCores(),
                100 * u.serverCores() / cores,
                cores,
                u.benchCores(),
                100 * u.machineBusyShare());
    }

    private static String errorList(Errors errors) {
        if (errors.total() == 0) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        errors.byKind().forEach((k, v) -> parts.add(v + "× " + k));
        return ": " + String.join("; ", parts.subList(0, Math.min(parts.size(), 4)));
    }

    private static String providers(CryptoBound bound) {
        return "simulated cards sign with " + SoftwareKeys.providerName("SHA256withECDSA") + " (EC), "
                + SoftwareKeys.providerName("SHA256withRSA") + " (RSA); the CA signs through "
                + bound.ca().signingModule() + "; holder signatures checked through "
                + bound.providers().holderModules();
    }

    static void progress(String what) {
        System.err.println("==> " + what);
        System.err.flush();
    }
}
