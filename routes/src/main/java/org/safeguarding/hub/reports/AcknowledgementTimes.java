package org.safeguarding.hub.reports;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How long recipients took to acknowledge the packages of one urgency class: each time, and the sum of the
 * acknowledgements' record keys (the cell key {@link SmallNumbers} perturbs the board's count with).
 */
public record AcknowledgementTimes(List<Duration> times, long cellKey) {
    public AcknowledgementTimes {
        times = List.copyOf(times);
    }

    /** The {@code q}-quantile (0 to 1) of the times, nearest rank; null when there are none. */
    public Duration quantile(double q) {
        if (times.isEmpty()) {
            return null;
        }
        List<Duration> sorted = new ArrayList<>(times);
        sorted.sort(null);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** Collects the times of one class. */
    static final class Tally {
        private final List<Duration> times = new ArrayList<>();
        private long key;

        void add(Duration d, long recordKey) {
            times.add(d);
            key += recordKey;
        }

        AcknowledgementTimes times() {
            return new AcknowledgementTimes(times, key);
        }
    }
}
