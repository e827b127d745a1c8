package org.cardrenew.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of a process and of the whole machine, from /proc (Linux), in clock ticks of 1/100 s. */
final class ProcessCpu {

    /** USER_HZ: 100 on every Linux architecture the JDK runs on (getconf CLK_TCK). */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {}

    /** utime + stime of the process (fields 14 and 15 of /proc/<pid>/stat), in seconds; NaN if unreadable. */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** CPU seconds of each thread of the process, by thread id, with its name (/proc/<pid>/task/<tid>/stat). */
    static java.util.Map<Long, java.util.Map.Entry<String, Double>> threads(long pid) {
        java.util.Map<Long, java.util.Map.Entry<String, Double>> byTid = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byTid.put(
                            Long.parseLong(task.getFileName().toString()),
                            java.util.Map.entry(
                                    name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException | RuntimeException e) {
            // no /proc: no breakdown
        }
        return byTid;
    }

    /**
     * CPU seconds spent since {@code before} by groups of threads: request threads, JIT compilers, GC, and the
     * rest, so that start-up compilation is told apart from the work itself.
     */
    static java.util.Map<String, Double> threadGroupsSince(
            long pid, java.util.Map<Long, java.util.Map.Entry<String, Double>> before) {
        java.util.Map<String, Double> groups = new java.util.TreeMap<>();
        threads(pid).forEach((tid, now) -> {
            java.util.Map.Entry<String, Double> then = before.get(tid);
            double spent = now.getValue() - (then == null ? 0 : then.getValue());
            groups.merge(group(now.getKey()), spent, Double::sum);
        });
        return groups;
    }

    static String group(String threadName) {
        if (threadName.startsWith("http-nio")) {
            return "request threads";
        }
        if (threadName.contains("CompilerThre") || threadName.startsWith("C1 ") || threadName.startsWith("C2 ")) {
            return "JIT compiler";
        }
        if (threadName.startsWith("GC ")
                || threadName.startsWith("G1 ")
                || threadName.contains("Conc")
                || threadName.startsWith("VM Thread")) {
            return "GC and VM";
        }
        if (threadName.startsWith("HikariPool") || threadName.startsWith("pool-")) {
            return "pools";
        }
        return "other";
    }

    /** Busy and total CPU seconds of the machine (first line of /proc/stat), summed over cores. */
    static double[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            double total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            double idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new double[] {(total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    /** CPU use over a phase: each process's cores, and the machine's busy share. */
    record Usage(double serverCores, double benchCores, double machineBusyShare) {}

    /** A snapshot at the start of a phase; {@link #since} gives the use until now. */
    record Snapshot(long serverPid, double server, double bench, double[] machine, long nanos) {

        static Snapshot take(long serverPid) {
            return new Snapshot(
                    serverPid,
                    seconds(serverPid),
                    seconds(ProcessHandle.current().pid()),
                    ProcessCpu.machine(),
                    System.nanoTime());
        }

        Usage since() {
            Snapshot now = take(serverPid);
            double wall = (now.nanos - nanos) / 1e9;
            double busy = now.machine[0] - machine[0];
            double total = now.machine[1] - machine[1];
            return new Usage(
                    (now.server - server) / wall, (now.bench - bench) / wall, total > 0 ? busy / total : Double.NaN);
        }
    }
}
