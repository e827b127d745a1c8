package org.cardrenew.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the server's CPU and waits went, from a Flight Recorder file of the timed part: execution samples by the
 * library at the top of the stack, CardRenew methods by inclusive samples, and PostgreSQL waits (socket reads) by
 * the repository method that waited.
 */
final class JfrBreakdown {

    /** Library of a frame, by package prefix; the first prefix that matches wins. */
    private static final Map<String, String> LIBRARIES = new LinkedHashMap<>();

    static {
        LIBRARIES.put("com.amazon.corretto.crypto.", "native crypto (ACCP), its Java side");
        LIBRARIES.put("sun.security.ec.", "EC arithmetic (SunEC)");
        LIBRARIES.put("sun.security.util.math.", "EC arithmetic (SunEC)");
        LIBRARIES.put("sun.security.rsa.", "RSA (SunRsaSign)");
        LIBRARIES.put("java.math.BigInteger", "RSA (SunRsaSign)");
        LIBRARIES.put("sun.security.provider.SHA", "SHA digests");
        LIBRARIES.put("sun.security.provider.Digest", "SHA digests");
        LIBRARIES.put("org.postgresql.", "PostgreSQL JDBC driver");
        LIBRARIES.put("com.zaxxer.hikari.", "Hikari pool");
        LIBRARIES.put("tools.jackson.", "Jackson JSON");
        LIBRARIES.put("com.fasterxml.", "Jackson JSON");
        LIBRARIES.put("org.bouncycastle.math.", "EC arithmetic (BouncyCastle: holder signature checks)");
        LIBRARIES.put("org.bouncycastle.crypto.", "EC arithmetic (BouncyCastle: holder signature checks)");
        LIBRARIES.put("org.bouncycastle.", "BouncyCastle ASN.1/X.509 encoding");
        LIBRARIES.put("sun.security.x509.", "JDK X.509/DER parsing");
        LIBRARIES.put("sun.security.util.", "JDK X.509/DER parsing");
        LIBRARIES.put("sun.security.provider.X509", "JDK X.509/DER parsing");
        LIBRARIES.put("ch.qos.logback.", "logging");
        LIBRARIES.put("org.slf4j.", "logging");
        LIBRARIES.put("io.micrometer.", "Micrometer observation/metrics");
        LIBRARIES.put("io.prometheus.", "Micrometer observation/metrics");
        LIBRARIES.put("org.springframework.security.", "Spring Security filters");
        LIBRARIES.put("org.springframework.jdbc.", "Spring JDBC/transactions");
        LIBRARIES.put("org.springframework.transaction.", "Spring JDBC/transactions");
        LIBRARIES.put("org.springframework.", "Spring MVC/core");
        LIBRARIES.put("org.apache.", "Tomcat/HTTP");
        LIBRARIES.put("org.cardrenew.", "CardRenew code itself");
        LIBRARIES.put("sun.nio.", "socket I/O");
        LIBRARIES.put("java.net.", "socket I/O");
    }

    /**
     * The kind of work a request thread's execution sample belongs to, by the frames anywhere on its stack; the first
     * kind whose frames appear wins, so an audit record's insert counts as audit, a signature check under a
     * CSR parse as crypto, and what is left (Tomcat, Spring MVC and Security, Jackson, Micrometer, logging, the RA's
     * own logic) as HTTP/JSON.
     */
    enum Work {
        MEASUREMENT(
                "the bench's own heap scrape (/actuator/prometheus)",
                "io.prometheus.",
                "org.springframework.boot.micrometer.metrics.export.prometheus."),
        AUDIT(
                "audit (the record's insert; chaining runs on the chainer's thread, not here)",
                "org.cardrenew.server.audit."),
        CRYPTO(
                "crypto (signatures, verifications, digests, HMAC)",
                "java.security.Signature",
                "java.security.MessageDigest",
                "javax.crypto.",
                "java.security.KeyFactory",
                "sun.security.rsa.",
                "sun.security.ec.",
                "org.bouncycastle.math.",
                "org.bouncycastle.crypto.",
                "org.bouncycastle.jcajce.provider.asymmetric.",
                "com.amazon.corretto.crypto."),
        SQL(
                "SQL, client side (JDBC driver, Hikari, Spring JDBC and transactions, store)",
                "org.postgresql.",
                "com.zaxxer.hikari.",
                "org.springframework.jdbc.",
                "org.springframework.transaction.",
                "org.cardrenew.server.store."),
        X509(
                "X.509/ASN.1 encoding and parsing (certificates, CSRs)",
                "sun.security.x509.",
                "sun.security.util.Der",
                "sun.security.provider.X509",
                "java.security.cert.",
                "org.bouncycastle."),
        HTTP_JSON("HTTP/JSON and the rest (Tomcat, Spring MVC and Security, Jackson, Micrometer, logging, RA logic)");

        final String label;
        private final List<String> prefixes;

        Work(String label, String... prefixes) {
            this.label = label;
            this.prefixes = List.of(prefixes);
        }

        static Work of(List<String> methods) {
            for (Work w : values()) {
                for (String m : methods) {
                    for (String p : w.prefixes) {
                        if (m.startsWith(p)) {
                            return w;
                        }
                    }
                }
            }
            return HTTP_JSON;
        }
    }

    /** Execution samples of the request threads by kind of work. */
    record WorkSplit(Map<Work, Integer> samples, int total) {

        /** {@code cpuMillis} (the request threads' CPU per renewal) shared out by samples, in the order of {@link Work}. */
        List<String> lines(double cpuMillis) {
            List<String> out = new ArrayList<>();
            for (Work w : Work.values()) {
                int n = samples.getOrDefault(w, 0);
                double share = total == 0 ? 0 : (double) n / total;
                out.add(String.format(Locale.ROOT, "  %5.2f ms %5.1f%%  %s", cpuMillis * share, 100 * share, w.label));
            }
            return out;
        }
    }

    private JfrBreakdown() {}

    /** Request-thread ({@code http-nio-*}) execution samples of the recording, split by {@link Work}. */
    static WorkSplit work(Path file) throws IOException {
        Map<Work, Integer> samples = new java.util.EnumMap<>(Work.class);
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            var thread = e.getThread("sampledThread");
            if (thread == null
                    || thread.getJavaName() == null
                    || !thread.getJavaName().startsWith("http-nio")) {
                continue;
            }
            List<String> methods = e.getStackTrace().getFrames().stream()
                    .map(JfrBreakdown::method)
                    .toList();
            samples.merge(Work.of(methods), 1, Integer::sum);
            total++;
        }
        return new WorkSplit(samples, total);
    }

    static List<String> lines(Path file) throws IOException {
        Map<String, Integer> libraries = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        Map<String, Double> waits = new HashMap<>();
        Map<String, Integer> waitCounts = new HashMap<>();
        int samples = 0;
        double waitTotal = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            List<RecordedFrame> frames =
                    e.getStackTrace() == null ? List.of() : e.getStackTrace().getFrames();
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                libraries.merge(library(frames), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String m = method(f);
                    if (m.startsWith("org.cardrenew.") && !m.contains("$$") && !m.contains("lambda$") && seen.add(m)) {
                        ours.merge(m, 1, Integer::sum);
                    }
                }
            } else if (type.equals("jdk.SocketRead")) {
                double seconds = e.getDuration().toNanos() / 1e9;
                waitTotal += seconds;
                String caller = frames.stream()
                        .map(JfrBreakdown::method)
                        .filter(m -> m.startsWith("org.cardrenew.") && !m.contains("$$") && !m.contains("lambda$"))
                        .findFirst()
                        .orElse("(outside CardRenew code)");
                waits.merge(caller, seconds, Double::sum);
                waitCounts.merge(caller, 1, Integer::sum);
            }
        }
        List<String> out = new ArrayList<>();
        out.add(samples + " execution samples of the server; by the library at the top of the stack:");
        int n = Math.max(samples, 1);
        libraries.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(en ->
                        out.add(String.format(Locale.ROOT, "  %5.1f%%  %s", 100.0 * en.getValue() / n, en.getKey())));
        out.add("CardRenew methods by inclusive samples (top 12):");
        ours.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(12)
                .forEach(en ->
                        out.add(String.format(Locale.ROOT, "  %5.1f%%  %s", 100.0 * en.getValue() / n, en.getKey())));
        out.add(String.format(
                Locale.ROOT,
                "waits on sockets (PostgreSQL) over JFR's threshold: %.2f s in all; by caller (top 6):",
                waitTotal));
        waits.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(6)
                .forEach(en -> out.add(String.format(
                        Locale.ROOT, "  %6.2f s %5d×  %s", en.getValue(), waitCounts.get(en.getKey()), en.getKey())));
        return out;
    }

    private static String library(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String m = method(f);
            for (Map.Entry<String, String> l : LIBRARIES.entrySet()) {
                if (m.startsWith(l.getKey())) {
                    return l.getValue();
                }
            }
        }
        return "JDK, other";
    }

    private static String method(RecordedFrame f) {
        return f.getMethod() == null
                ? "?"
                : f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
