package org.cardrenew.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The server's JVM heap and GC figures from its Prometheus endpoint ({@code /actuator/prometheus}, Micrometer's
 * {@code jvm.memory.used} with area=heap), sampled in the background during a phase. The endpoint needs the admin
 * token (docs/OPERATIONS.md).
 */
final class ServerMetrics implements AutoCloseable {

    /** One scrape: heap used/committed/max (bytes), GC pauses (count, seconds), live data after the last old GC. */
    record Heap(double used, double committed, double max, double gcPauses, double gcSeconds, double liveData) {}

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI endpoint;
    private final String adminToken;
    private volatile double maxUsed;
    private volatile Heap last;
    private Thread sampler;
    private volatile boolean running;

    ServerMetrics(URI base, String adminToken) {
        this.endpoint = base.resolve("/actuator/prometheus");
        this.adminToken = adminToken;
    }

    Heap scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(endpoint)
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + adminToken)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(endpoint + " answered " + response.statusCode());
        }
        return parse(response.body());
    }

    static Heap parse(String text) {
        double used = 0;
        double committed = 0;
        double max = 0;
        double pauses = 0;
        double pauseSeconds = 0;
        double live = Double.NaN;
        for (String line : text.split("\\R")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            String key = line.substring(0, space);
            boolean heap = key.contains("area=\"heap\"");
            if (heap && key.startsWith("jvm_memory_used_bytes{")) {
                used += value;
            } else if (heap && key.startsWith("jvm_memory_committed_bytes{")) {
                committed += value;
            } else if (heap && key.startsWith("jvm_memory_max_bytes{") && value > 0) {
                max += value;
            } else if (key.startsWith("jvm_gc_pause_seconds_count{")) {
                pauses += value;
            } else if (key.startsWith("jvm_gc_pause_seconds_sum{")) {
                pauseSeconds += value;
            } else if (key.startsWith("jvm_gc_live_data_size_bytes")) {
                live = value;
            }
        }
        return new Heap(used, committed, max, pauses, pauseSeconds, live);
    }

    /** Samples every two seconds (a scrape costs the server a little CPU) until {@link #close()}; the peak heap used is kept. */
    void startSampling() {
        running = true;
        maxUsed = 0;
        sampler = new Thread(
                () -> {
                    while (running) {
                        try {
                            Heap h = scrape();
                            last = h;
                            maxUsed = Math.max(maxUsed, h.used());
                            Thread.sleep(2000);
                        } catch (InterruptedException e) {
                            return;
                        } catch (IOException | RuntimeException e) {
                            // a missed sample is not a failure of the run
                        }
                    }
                },
                "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    double peakUsed() {
        return maxUsed;
    }

    Heap last() {
        return last;
    }

    @Override
    public void close() {
        running = false;
        if (sampler != null) {
            sampler.interrupt();
            try {
                sampler.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
