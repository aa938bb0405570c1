package org.safeguarding.hub.reports;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decisions counted for one cell of a report: how many were SHARED, and how many NOT_SHARED for each
 * reason code.
 */
public record FlowCounts(long shared, Map<String, Long> notSharedByReason) {
    public FlowCounts {
        notSharedByReason = Collections.unmodifiableMap(new TreeMap<>(notSharedByReason));
    }

    public long notShared() {
        return notSharedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public long decisions() {
        return shared + notShared();
    }

    /** A mutable tally, for the builder. */
    static final class Tally {
        private long shared;
        private final Map<String, Long> notShared = new TreeMap<>();

        void add(boolean wasShared, String reason) {
            if (wasShared) {
                shared++;
            } else {
                notShared.merge(reason == null ? "UNKNOWN" : reason, 1L, Long::sum);
            }
        }

        FlowCounts counts() {
            return new FlowCounts(shared, notShared);
        }
    }
}
