package org.cardrenew.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU of the PostgreSQL backends that serve the benchmarked server, and only those (other clients of the same
 * PostgreSQL are left out): the server's TCP connections to port 5432 are found through its socket inodes, and a
 * backend's process title names its client's port, {@code postgres: user db 127.0.0.1(PORT) idle}.
 */
final class PostgresCpu {

    private PostgresCpu() {}

    /** CPU seconds by backend pid, for the backends connected to {@code serverPid}. */
    static Map<Long, Double> backends(long serverPid, int pgPort) {
        Set<Integer> clientPorts = clientPorts(serverPid, pgPort);
        Map<Long, Double> cpu = new HashMap<>();
        if (clientPorts.isEmpty()) {
            return cpu;
        }
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String comm =
                        Files.readString(Path.of("/proc/" + p.pid() + "/comm")).trim();
                if (!comm.equals("postgres")) {
                    return;
                }
                String title = new String(
                        Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")), StandardCharsets.UTF_8);
                for (int port : clientPorts) {
                    if (title.contains("(" + port + ")")) {
                        cpu.put(p.pid(), ProcessCpu.seconds(p.pid()));
                        return;
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // not ours to read, or ended
            }
        });
        return cpu;
    }

    /** CPU seconds those backends spent since {@code before} (connections opened meanwhile count whole). */
    static double since(Map<Long, Double> before, long serverPid, int pgPort) {
        double spent = 0;
        for (Map.Entry<Long, Double> now : backends(serverPid, pgPort).entrySet()) {
            spent += now.getValue() - before.getOrDefault(now.getKey(), 0.0);
        }
        return spent;
    }

    private static Set<Integer> clientPorts(long pid, int pgPort) {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException | RuntimeException closed) {
                    // closed meanwhile
                }
            });
        } catch (IOException e) {
            return Set.of();
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || !f[2].contains(":")) {
                        continue;
                    }
                    int remotePort = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                    if (remotePort == pgPort && inodes.contains(f[9])) {
                        ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no such table
            }
        }
        return ports;
    }
}
