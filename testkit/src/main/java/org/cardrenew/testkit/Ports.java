package org.cardrenew.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for listeners that must be named before they can start (the bridge's port goes into the server's settings,
 * and the bridge needs the started server's root). A port taken with {@code new ServerSocket(0)} and released lies
 * in the kernel's ephemeral range, which the kernel hands to outgoing connections too: the server's database pool,
 * the CLI's and the browser's connections opened in the seconds before the listener binds can take it ("Address
 * already in use"). A port below that range is handed out only to whoever asks for it by number.
 */
public final class Ports {

    /** Where Linux's ephemeral range starts by default, when the machine's cannot be read. */
    static final int DEFAULT_EPHEMERAL_LOW = 32768;
    /** How far below the ephemeral range the ports are chosen. */
    static final int SPAN = 12_000;

    private Ports() {}

    /** A loopback port free now and outside the ephemeral range; a released ephemeral port where there is none below. */
    public static int forLaterBind() throws IOException {
        int low = ephemeralLow(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        if (low - SPAN < 1024) {
            try (ServerSocket any = new ServerSocket(0)) {
                return any.getLocalPort();
            }
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(low - SPAN, low);
            if (free(port)) {
                return port;
            }
        }
        throw new IOException("no free port between " + (low - SPAN) + " and " + (low - 1) + " after 200 tries");
    }

    /**
     * The first port of the kernel's ephemeral range ("32768\t60999"), or the default when unreadable. Read as a line:
     * {@code Files.readString} trusts the size a sysctl file reports and returned one byte of it on this machine.
     */
    static int ephemeralLow(Path rangeFile) {
        try (BufferedReader line = Files.newBufferedReader(rangeFile)) {
            return Integer.parseInt(line.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
