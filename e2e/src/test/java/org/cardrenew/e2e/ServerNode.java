package org.cardrenew.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cardrenew.testkit.ServerChild;

/**
 * One server node as its own JVM: {@code java -jar server/target/cardrenew-server-exec.jar} on a free loopback port,
 * the way an operator runs it (docs/OPERATIONS.md). Secrets go through the environment, not the command line.
 */
final class ServerNode implements AutoCloseable {

    static final Path JAR = Path.of("..", "server", "target", "cardrenew-server-exec.jar")
            .toAbsolutePath()
            .normalize();

    private final ServerChild child;
    private final String url;

    private ServerNode(ServerChild child, String url) {
        this.child = child;
        this.url = url;
    }

    /** Starts a node with {@code --name=value} arguments and environment {@code env}; returns once it is listening. */
    static ServerNode start(Path dataDir, List<String> arguments, Map<String, String> env) throws IOException {
        int port = ServerChild.freeLoopbackPort();
        String url = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                JAR.toString(),
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                "--cardrenew.public-url=" + url,
                "--cardrenew.data-dir=" + dataDir));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("CARDRENEW_"));
        builder.environment().putAll(env);
        return new ServerNode(ServerChild.start(builder, dataDir.resolveSibling(dataDir.getFileName() + ".log")), url);
    }

    /** Waits until /actuator/health answers 200; a node that exits or stays silent fails with its log's tail. */
    ServerNode awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        child.awaitHealthy(URI.create(url + "/actuator/health"), timeout);
        return this;
    }

    String url() {
        return url;
    }

    String tail() {
        return child.tail(60);
    }

    @Override
    public void close() {
        child.close();
    }
}
