package org.cardrenew.bench;

import java.util.Optional;

/** CPU seconds of all PostgreSQL processes on this machine (the server's database work is not in its own JVM). */
final class PostgresCpu {

    private PostgresCpu() {}

    /** Sum over processes whose executable is named postgres; loopback only, so these serve the benchmark. */
    static double seconds() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false)
                        || isPostgres(p.pid()))
                .mapToDouble(p -> {
                    double s = ProcessCpu.seconds(p.pid());
                    return Double.isNaN(s) ? 0 : s;
                }).sum();
    }

    private static boolean isPostgres(long pid) {
        try {
            Optional<String> comm = Optional.of(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/comm")).trim());
            return comm.get().equals("postgres");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
