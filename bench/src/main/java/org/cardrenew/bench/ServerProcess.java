package org.cardrenew.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real server as a child process: {@code java -jar server/target/cardrenew-server-exec.jar} on a loopback port
 * and a PostgreSQL schema of its own. Stopped at the end of the run, and by a shutdown hook if the run is cut short.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final URI base;
    private final Path log;
    private final String java;

    private ServerProcess(Process process, URI base, Path log, String java) {
        this.process = process;
        this.base = base;
        this.log = log;
        this.java = java;
    }

    /** What the server is started with. Secrets go through the environment, not the command line. */
    record Settings(String java, List<String> jvmOptions, Path jar, Path dataDir, String caKeyType, String pgUrl,
            String pgUser, String pgPassword, String adminToken, String keystorePassword) {}

    static ServerProcess start(Settings s, Duration timeout) throws IOException, InterruptedException {
        int port = freePort();
        Files.createDirectories(s.dataDir());
        // Run a copy: a rebuild of server/target during the run must not change the jar under the running JVM.
        Path jar = s.dataDir().resolve("cardrenew-server-exec.jar");
        Files.copy(s.jar(), jar, StandardCopyOption.REPLACE_EXISTING);
        List<String> command = new ArrayList<>();
        command.add(s.java());
        command.addAll(s.jvmOptions());
        command.addAll(List.of("-jar", jar.toString(),
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
        Path log = s.dataDir().resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        Map<String, String> env = builder.environment();
        // The seeded holders have made-up addresses: an SMTP server in the caller's environment must not get mail.
        env.keySet().removeIf(name -> name.startsWith("SPRING_MAIL"));
        env.put("CARDRENEW_ADMIN_TOKEN", s.adminToken());
        env.put("CARDRENEW_CA_KEYSTORE_PASSWORD", s.keystorePassword());
        env.put("SPRING_DATASOURCE_PASSWORD", s.pgPassword());
        Process process = builder.start();
        ServerProcess server = new ServerProcess(process, URI.create("http://127.0.0.1:" + port), log, s.java());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-server"));
        server.awaitReady(timeout);
        return server;
    }

    URI base() {
        return base;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The java executable actually running the server (its jcmd and version are used beside it). */
    String javaCommand() {
        return process.info().command().orElse(java);
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

    private void jcmd(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(javaCommand()).resolveSibling("jcmd").toString());
        command.add(Long.toString(pid()));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", arguments) + " failed: " + out);
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the server exited with " + process.exitValue() + " during start-up:\n" + tail(40));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        close();
        throw new IOException("the server did not become healthy within " + timeout + ":\n" + tail(40));
    }

    /** The last lines of the server's log, for error messages. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
