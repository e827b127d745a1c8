package org.cardrenew.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The server's CPU as async-profiler (tools.profiler:async-profiler) samples it, loaded into the running server
 * through {@code jcmd JVMTI.agent_load}: every millisecond of CPU a thread spends, in Java, in native code (the
 * native crypto) or in the kernel (socket I/O, thread hand-offs). JFR's execution samples see Java code only, so
 * their split of a renewal's CPU leaves the native crypto out; this one does not. Written as collapsed stacks, one
 * line per distinct stack: {@code [thread tid=N];frame;frame... count}, the root first.
 */
final class CpuProfile {

    /**
     * Samples of CPU time (perf events where the kernel allows them, a CPU timer otherwise), one per 10 ms of a
     * thread's CPU: a 30 s phase on two cores gives a few thousand, and the sampling itself costs little.
     */
    static final String START = "start,event=cpu,interval=10ms,threads";

    private CpuProfile() {}

    /**
     * async-profiler's library for this machine, copied out of its jar into {@code dir} (jcmd loads it by path);
     * empty on a machine it has no library for.
     */
    static Optional<Path> library(Path dir) throws IOException {
        String platform = platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
        if (platform == null) {
            return Optional.empty();
        }
        try (InputStream in = CpuProfile.class.getResourceAsStream("/" + platform + "/libasyncProfiler.so")) {
            if (in == null) {
                return Optional.empty();
            }
            Files.createDirectories(dir);
            Path lib = dir.resolve("libasyncProfiler.so");
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(lib);
        }
    }

    static String platform(String osName, String osArch) {
        if (!osName.startsWith("Linux")) {
            return null;
        }
        return switch (osArch) {
            case "amd64", "x86_64" -> "linux-x64";
            case "aarch64" -> "linux-arm64";
            default -> null;
        };
    }

    /** The agent option that stops sampling and writes the collapsed stacks to {@code file}. */
    static String stop(Path file) {
        String path = file.toAbsolutePath().toString();
        // The option is one comma-separated list inside one quoted jcmd argument.
        if (path.contains(",") || path.contains("\"") || path.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("the profile's path must not contain commas, quotes or spaces: " + path);
        }
        return "stop,file=" + path + ",collapsed";
    }

    /**
     * A profile read back: the request threads' samples by kind of work (the same kinds as the JFR split), how many
     * of them were in the kernel, and every thread group's samples.
     */
    record Profile(JfrBreakdown.WorkSplit requests, int requestsInKernel, Map<String, Integer> threadGroups) {

        /** The request threads' share of their samples spent in the kernel. */
        double kernelShare() {
            return requests.total() == 0 ? 0 : (double) requestsInKernel / requests.total();
        }

        List<String> groupLines() {
            int all = threadGroups.values().stream().mapToInt(Integer::intValue).sum();
            List<String> out = new ArrayList<>();
            threadGroups.forEach((group, n) -> out.add(String.format(
                    Locale.ROOT, "  %5.1f%%  %s (%d samples)", all == 0 ? 0 : 100.0 * n / all, group, n)));
            return out;
        }
    }

    static Profile read(Path collapsed) throws IOException {
        Map<JfrBreakdown.Work, Integer> work = new EnumMap<>(JfrBreakdown.Work.class);
        Map<String, Integer> groups = new TreeMap<>();
        int requests = 0;
        int inKernel = 0;
        try (BufferedReader in = Files.newBufferedReader(collapsed, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int space = line.lastIndexOf(' ');
                if (space <= 0) {
                    continue;
                }
                int samples;
                try {
                    samples = Integer.parseInt(line.substring(space + 1));
                } catch (NumberFormatException notACount) {
                    continue;
                }
                String[] frames = line.substring(0, space).split(";");
                String group = ProcessCpu.group(threadName(frames[0]));
                groups.merge(group, samples, Integer::sum);
                if (!group.equals("request threads")) {
                    continue;
                }
                List<String> methods = new ArrayList<>(frames.length);
                for (int i = frames[0].startsWith("[") ? 1 : 0; i < frames.length; i++) {
                    methods.add(frames[i].replace('/', '.'));
                }
                // JfrBreakdown.Work reads a stack as JFR gives it: the innermost frame first.
                Collections.reverse(methods);
                work.merge(JfrBreakdown.Work.of(methods), samples, Integer::sum);
                requests += samples;
                if (frames[frames.length - 1].endsWith("_[k]")) {
                    inKernel += samples;
                }
            }
        }
        return new Profile(new JfrBreakdown.WorkSplit(work, requests), inKernel, groups);
    }

    /** {@code [http-nio-8080-exec-3 tid=1234]} → {@code http-nio-8080-exec-3}; no thread frame: "". */
    static String threadName(String rootFrame) {
        if (!rootFrame.startsWith("[") || !rootFrame.endsWith("]")) {
            return "";
        }
        String inside = rootFrame.substring(1, rootFrame.length() - 1);
        int tid = inside.lastIndexOf(" tid=");
        return tid < 0 ? inside : inside.substring(0, tid);
    }
}
