package org.cardrenew.bench;

import java.util.Arrays;

/** Latency samples of one kind of operation, in nanoseconds, with nearest-rank percentiles. */
public final class Latencies {

    private long[] samples = new long[1024];
    private int count;

    /** Not thread-safe: each worker records into its own instance, merged afterwards. */
    public void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    public void addAll(Latencies other) {
        for (int i = 0; i < other.count; i++) {
            record(other.samples[i]);
        }
    }

    public int count() {
        return count;
    }

    /**
     * The nearest-rank percentile (the smallest sample with at least p% of the samples at or below it), in
     * milliseconds; NaN without samples.
     */
    public double percentileMillis(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(rank, 1) - 1] / 1e6;
    }

    public double meanMillis() {
        if (count == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += samples[i];
        }
        return sum / count / 1e6;
    }

    public double maxMillis() {
        return count == 0 ? Double.NaN : Arrays.stream(samples, 0, count).max().getAsLong() / 1e6;
    }
}
