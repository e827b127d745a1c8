package org.cardrenew.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortsTest {

    @Test
    void theEphemeralRangeIsReadFromTheKernelsFile(@TempDir Path dir) throws Exception {
        Path range = Files.writeString(dir.resolve("ip_local_port_range"), "40000\t60999\n");

        assertThat(Ports.ephemeralLow(range)).isEqualTo(40000);
        assertThat(Ports.ephemeralLow(dir.resolve("missing"))).isEqualTo(Ports.DEFAULT_EPHEMERAL_LOW);
    }

    @Test
    void aPortForLaterIsBelowTheEphemeralRangeAndCanBeBound() throws Exception {
        int low = Ports.ephemeralLow(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));

        for (int i = 0; i < 20; i++) {
            int port = Ports.forLaterBind();

            assertThat(port).isBetween(low - Ports.SPAN, low - 1);
            try (ServerSocket listener = new ServerSocket()) {
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertThat(listener.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
