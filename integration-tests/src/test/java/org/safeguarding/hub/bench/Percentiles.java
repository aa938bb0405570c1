package org.safeguarding.hub.bench;

import java.util.Arrays;
import java.util.Locale;

/** Nearest-rank percentiles of latencies in nanoseconds, printed in milliseconds. */
final class Percentiles {
    private final long[] sorted;

    Percentiles(long[] nanos) {
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    /** The p-th percentile (0 < p <= 100) in ms; NaN when empty. */
    double ms(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] / 1e6;
    }

    double maxMs() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
    }

    /** "p50 p95 p99 max" in ms. */
    String summary() {
        return String.format(Locale.ROOT, "p50 %.1f  p95 %.1f  p99 %.1f  max %.1f ms (n=%d)", ms(50), ms(95), ms(99),
                maxMs(), count());
    }
}
