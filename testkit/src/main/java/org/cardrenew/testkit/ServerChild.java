package org.cardrenew.testkit;

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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server started as a child process with its output in a log file (the e2e tests' nodes, the bench's server):
 * waits until its health endpoint answers, shows the log's tail when it does not, and stops it on close or, if
 * the caller's JVM ends first, from a shutdown hook.
 */
public final class ServerChild implements AutoCloseable {

    /** How long a stopping server may take to close its connections and pools before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;

    private ServerChild(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the process with its standard output and error written to {@code log}. */
    public static ServerChild start(ProcessBuilder builder, Path log) throws IOException {
        Process process = builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        ServerChild child = new ServerChild(process, log);
        Runtime.getRuntime().addShutdownHook(new Thread(child::close, "stop-server-child"));
        return child;
    }

    /** A loopback port free now (another process may take it before the server binds it: rare, and then it fails). */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Waits until {@code health} answers 200. A process that exits fails at once, one that stays unhealthy is
     * stopped; either way the exception carries the last 60 lines of the log.
     */
    public void awaitHealthy(URI health, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(health.getAuthority() + " exited with " + process.exitValue()
                        + " during start-up:\n" + tail(60));
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(health)
                        .timeout(Duration.ofSeconds(2))
                        .build();
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        close();
        throw new IOException(health.getAuthority() + " was not healthy within " + timeout + ":\n" + tail(60));
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    /** The last lines of the log, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Asks the server to stop (SIGTERM: a graceful shutdown), and kills it if it has not within the grace period. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
