package org.cardrenew.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU of the PostgreSQL backends that serve the benchmarked server, and only those (other clients of the same
 * PostgreSQL are left out): the server's sessions carry an application name of their own
 * ({@link BenchOptions#serverApplicationName}), which {@code pg_stat_activity} shows whether they came over TCP or
 * through the Unix-domain socket; a backend's CPU is read from {@code /proc}, so PostgreSQL runs on this machine.
 */
final class PostgresCpu {

    private PostgresCpu() {}

    /** CPU seconds by backend pid, for the backends of the server's sessions. */
    static Map<Long, Double> backends(BenchOptions o) {
        return backends(o.pgUrl(), o.pgUser(), o.pgPassword(), o.serverApplicationName());
    }

    /** CPU seconds by backend pid, for the backends of the sessions that call themselves {@code applicationName}. */
    static Map<Long, Double> backends(String url, String user, String password, String applicationName) {
        Map<Long, Double> cpu = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, user, password);
                PreparedStatement s =
                        c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, applicationName);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long pid = rs.getLong(1);
                    double seconds = ProcessCpu.seconds(pid);
                    if (!Double.isNaN(seconds)) { // NaN: ended meanwhile
                        cpu.put(pid, seconds);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot list the PostgreSQL sessions of " + applicationName + ": " + e.getMessage(), e);
        }
        return cpu;
    }

    /** CPU seconds those backends spent since {@code before} (connections opened meanwhile count whole). */
    static double since(Map<Long, Double> before, BenchOptions o) {
        return since(before, o.pgUrl(), o.pgUser(), o.pgPassword(), o.serverApplicationName());
    }

    /** CPU seconds the backends of {@code applicationName} spent since {@code before}. */
    static double since(Map<Long, Double> before, String url, String user, String password, String applicationName) {
        double spent = 0;
        for (Map.Entry<Long, Double> now :
                backends(url, user, password, applicationName).entrySet()) {
            spent += now.getValue() - before.getOrDefault(now.getKey(), 0.0);
        }
        return spent;
    }
}
