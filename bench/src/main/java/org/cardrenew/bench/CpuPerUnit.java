package org.cardrenew.bench;

import java.util.Locale;
import java.util.Map;

/**
 * The CPU one unit of a timed phase cost (a renewal, a status check), in ms: the server's, of it its JIT compiler's,
 * the bench client's and the server's PostgreSQL backends', from the cores each used over the phase and the phase's
 * rate.
 */
record CpuPerUnit(double serverMs, double jitMs, double clientMs, double postgresMs) {

    /**
     * {@code threadSeconds}: the server's CPU seconds by thread group in the phase ({@link
     * ProcessCpu#threadGroupsSince}), of which the JIT compiler's are taken out of {@link #steadyMs}.
     */
    static CpuPerUnit of(
            ProcessCpu.Usage cpu,
            double postgresCores,
            Map<String, Double> threadSeconds,
            double elapsedSeconds,
            double unitsPerSecond) {
        double per = 1000 / Math.max(unitsPerSecond, 1e-9);
        double jitCores = threadSeconds.getOrDefault("JIT compiler", 0.0) / Math.max(elapsedSeconds, 1e-9);
        return new CpuPerUnit(cpu.serverCores() * per, jitCores * per, cpu.benchCores() * per, postgresCores * per);
    }

    /** Server (without its JIT compiler), client and PostgreSQL: what the unit costs once the server is compiled. */
    double steadyMs() {
        return serverMs - jitMs + clientMs + postgresMs;
    }

    /** {@code server 0.95 ms (of which JIT 0.03), client 0.25, PostgreSQL 0.52}. */
    String line() {
        return String.format(
                Locale.ROOT,
                "server %.2f ms (of which JIT %.2f), client %.2f, PostgreSQL %.2f",
                serverMs,
                jitMs,
                clientMs,
                postgresMs);
    }
}
