package org.cardrenew.bench;

import java.util.Locale;

/**
 * The last line of every run, which scripts parse: {@code renewals/s=<n> bound/s=<n> ratio=<r> p99_ms=<n>}.
 *
 * @param renewalsPerSecond end-to-end renewals completed per second
 * @param boundPerSecond    the crypto-only bound of the same work on the same number of threads
 * @param p99Millis         99th percentile of one whole renewal (challenge → confirmation)
 */
public record SummaryLine(double renewalsPerSecond, double boundPerSecond, double p99Millis) {

    /** End-to-end ÷ bound; 0 when the bound is unknown. */
    public double ratio() {
        return boundPerSecond > 0 ? renewalsPerSecond / boundPerSecond : 0;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "renewals/s=%.1f bound/s=%.1f ratio=%.2f p99_ms=%.0f",
                renewalsPerSecond,
                boundPerSecond,
                ratio(),
                Double.isNaN(p99Millis) ? 0 : p99Millis);
    }
}
