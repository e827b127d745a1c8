package org.cardrenew.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerChildTest {

    @TempDir
    Path dir;

    @Test
    void aServerThatExitsDuringStartUpFailsAtOnceWithTheTailOfItsLog() throws IOException {
        ServerChild child = ServerChild.start(
                new ProcessBuilder("sh", "-c", "seq 1 100; echo 'port in use'; exit 3"), dir.resolve("server.log"));
        URI health = URI.create("http://127.0.0.1:" + ServerChild.freeLoopbackPort() + "/actuator/health");
        long start = System.nanoTime();

        assertThatThrownBy(() -> child.awaitHealthy(health, Duration.ofSeconds(60)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited with 3")
                .hasMessageEndingWith("port in use")
                .hasMessageNotContaining("\n40\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aServerThatNeverAnswersIsStoppedWhenTheWaitEnds() throws IOException {
        ServerChild child = ServerChild.start(
                new ProcessBuilder("sh", "-c", "echo starting; exec sleep 600"), dir.resolve("server.log"));
        URI health = URI.create("http://127.0.0.1:" + ServerChild.freeLoopbackPort() + "/actuator/health");

        assertThatThrownBy(() -> child.awaitHealthy(health, Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not healthy within PT1S")
                .hasMessageEndingWith("starting");
        assertThat(child.process().isAlive()).isFalse();
    }
}
