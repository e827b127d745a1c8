package org.cardrenew.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cardrenew.testkit.ServerChild;

/**
 * The real server as a child process: {@code java -jar server/target/cardrenew-server-exec.jar} on a loopback port
 * and a PostgreSQL schema of its own. Stopped at the end of the run, and by a shutdown hook if the run is cut short.
 */
final class ServerProcess implements AutoCloseable {

    private final ServerChild child;
    private final URI base;
    private final String java;
    private final String adminToken;

    private ServerProcess(ServerChild child, URI base, String java, String adminToken) {
        this.child = child;
        this.base = base;
        this.java = java;
        this.adminToken = adminToken;
    }

    /** What the server is started with. Secrets go through the environment, not the command line. */
    record Settings(
            String java,
            List<String> jvmOptions,
            Path jar,
            Path dataDir,
            String caKeyType,
            String pgUrl,
            String pgUser,
            String pgPassword,
            String adminToken,
            String keystorePassword) {}

    static ServerProcess start(Settings s, Duration timeout) throws IOException, InterruptedException {
        int port = ServerChild.freeLoopbackPort();
        Files.createDirectories(s.dataDir());
        // Run a copy: a rebuild of server/target during the run must not change the jar under the running JVM.
        Path jar = s.dataDir().resolve("cardrenew-server-exec.jar");
        Files.copy(s.jar(), jar, StandardCopyOption.REPLACE_EXISTING);
        List<String> command = new ArrayList<>();
        command.add(s.java());
        command.addAll(s.jvmOptions());
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                "--cardrenew.public-url=http://127.0.0.1:" + port,
                "--cardrenew.data-dir=" + s.dataDir(),
                "--cardrenew.ca.key-type=" + s.caKeyType(),
                "--cardrenew.enrollment.allow-explicit-validity=true",
                // Every simulated holder comes from 127.0.0.1: the per-address abuse limit is for the field.
                "--cardrenew.rate-limit.enabled=false",
                // No scan or delivery on the node's own schedule: the reminder scans measured are the ones the bench
                // asks for (POST /api/v1/admin/reminders/scans), never a scheduled one running beside them or beside
                // the renewals. There is no SMTP server either (spring.mail.host unset, see below): nothing is mailed.
                "--cardrenew.reminders.enabled=false",
                "--spring.datasource.url=" + s.pgUrl(),
                "--spring.datasource.username=" + s.pgUser()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        // The seeded holders have made-up addresses: an SMTP server in the caller's environment must not get mail.
        env.keySet().removeIf(name -> name.startsWith("SPRING_MAIL"));
        env.put("CARDRENEW_ADMIN_TOKEN", s.adminToken());
        env.put("CARDRENEW_CA_KEYSTORE_PASSWORD", s.keystorePassword());
        env.put("SPRING_DATASOURCE_PASSWORD", s.pgPassword());
        ServerChild child = ServerChild.start(builder, s.dataDir().resolve("server.log"));
        ServerProcess server =
                new ServerProcess(child, URI.create("http://127.0.0.1:" + port), s.java(), s.adminToken());
        child.awaitHealthy(server.base.resolve("/actuator/health"), timeout);
        return server;
    }

    URI base() {
        return base;
    }

    /** Its metrics, scraped with the admin token (the Prometheus endpoint needs it). */
    ServerMetrics metrics() {
        return new ServerMetrics(base, adminToken);
    }

    long pid() {
        return child.process().pid();
    }

    Path log() {
        return child.log();
    }

    /**
     * The server's own start-up line naming the modules that sign for the CA and check holder signatures (its
     * CaConfiguration logs it): what the server chose, which the crypto bound should match.
     */
    String cryptoModules() {
        String marker = "crypto modules: ";
        try (Stream<String> lines = Files.lines(log())) {
            return lines.filter(line -> line.contains(marker))
                    .map(line -> line.substring(line.indexOf(marker) + marker.length()))
                    .findFirst()
                    .orElse("not in the server's log");
        } catch (IOException | UncheckedIOException e) {
            return "cannot read the server's log: " + e.getMessage();
        }
    }

    /** The java executable actually running the server (its jcmd and version are used beside it). */
    String javaCommand() {
        return child.process().info().command().orElse(java);
    }

    /**
     * Starts an in-memory JFR recording before the warm-up: starting JFR instruments JDK classes, and the
     * recompilation that follows must happen before the timed part, not inside it.
     */
    void startWarmupRecording() throws IOException, InterruptedException {
        jcmd("JFR.start", "name=cardrenew-bench-warmup", "settings=profile");
    }

    /** Starts the recording of the timed part into {@code file} and drops the warm-up recording. */
    void startRecording(Path file) throws IOException, InterruptedException {
        jcmd("JFR.start", "name=cardrenew-bench", "settings=profile", "filename=" + file.toAbsolutePath());
        jcmd("JFR.stop", "name=cardrenew-bench-warmup");
    }

    void stopRecording() throws IOException, InterruptedException {
        jcmd("JFR.stop", "name=cardrenew-bench");
    }

    /** Starts the recording of the status checks into {@code file} (after {@link #stopRecording()}). */
    void startStatusRecording(Path file) throws IOException, InterruptedException {
        jcmd("JFR.start", "name=cardrenew-bench-status", "settings=profile", "filename=" + file.toAbsolutePath());
    }

    void stopStatusRecording() throws IOException, InterruptedException {
        jcmd("JFR.stop", "name=cardrenew-bench-status");
    }

    /** Starts async-profiler's CPU sampling in the server ({@link CpuProfile}), its library loaded from {@code lib}. */
    void startProfile(Path lib) throws IOException, InterruptedException {
        agent(lib, CpuProfile.START);
    }

    /** Stops the sampling and writes the collapsed stacks into {@code file}. */
    void stopProfile(Path lib, Path file) throws IOException, InterruptedException {
        agent(lib, CpuProfile.stop(file));
    }

    /**
     * jcmd reads {@code a=b} as a named argument of its own, so the agent's option list goes in quotes, whole; jcmd
     * itself succeeds whatever the agent answers, which it prints as "return code: N" (the profiler's own errors go
     * to the server's output).
     */
    private void agent(Path lib, String options) throws IOException, InterruptedException {
        String out = jcmd("JVMTI.agent_load", lib.toString(), '"' + options + '"');
        if (!out.contains("return code: 0")) {
            throw new IOException("async-profiler refused \"" + options + "\": " + out.trim() + "\n" + tail(5));
        }
    }

    private String jcmd(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(javaCommand()).resolveSibling("jcmd").toString());
        command.add(Long.toString(pid()));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", arguments) + " failed: " + out);
        }
        return out;
    }

    /** The last lines of the server's log, for error messages. */
    String tail(int lines) {
        return child.tail(lines);
    }

    @Override
    public void close() {
        child.close();
    }
}
