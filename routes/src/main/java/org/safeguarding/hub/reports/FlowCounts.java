package org.safeguarding.hub.reports;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decisions counted for one cell of a report: how many were SHARED, and how many NOT_SHARED for each
 * reason code; with the cell keys of those counts (the sums of their audit events' record keys, see
 * {@link SmallNumbers}), which the board's disclosure control needs and nothing else shows.
 */
public record FlowCounts(long shared, Map<String, Long> notSharedByReason, long sharedKey,
                         Map<String, Long> reasonKeys) {
    public FlowCounts {
        notSharedByReason = Collections.unmodifiableMap(new TreeMap<>(notSharedByReason));
        reasonKeys = Collections.unmodifiableMap(new TreeMap<>(reasonKeys));
    }

    /** Counts without cell keys (a report made by hand). */
    public FlowCounts(long shared, Map<String, Long> notSharedByReason) {
        this(shared, notSharedByReason, 0, Map.of());
    }

    public long notShared() {
        return notSharedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The cell key of {@link #notShared()}: its records are those of every reason. */
    public long notSharedKey() {
        long k = 0;
        for (long v : reasonKeys.values()) {
            k += v;
        }
        return k;
    }

    /** The cell key of one reason's count (0 when it has none). */
    public long reasonKey(String reason) {
        return reasonKeys.getOrDefault(reason, 0L);
    }

    public long decisions() {
        return shared + notShared();
    }

    /** The same counts without their keys, to compare counts alone. */
    public FlowCounts withoutKeys() {
        return new FlowCounts(shared, notSharedByReason);
    }

    /** A mutable tally, for the builder. */
    static final class Tally {
        private long shared;
        private long sharedKey;
        private final Map<String, Long> notShared = new TreeMap<>();
        private final Map<String, Long> reasonKeys = new TreeMap<>();

        void add(boolean wasShared, String reason, long recordKey) {
            if (wasShared) {
                shared++;
                sharedKey += recordKey;
            } else {
                String r = reason == null ? "UNKNOWN" : reason;
                notShared.merge(r, 1L, Long::sum);
                reasonKeys.merge(r, recordKey, Long::sum);
            }
        }

        FlowCounts counts() {
            return new FlowCounts(shared, notShared, sharedKey, reasonKeys);
        }
    }
}
