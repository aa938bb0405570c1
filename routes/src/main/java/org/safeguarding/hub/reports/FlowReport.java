package org.safeguarding.hub.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The flow report over a window of the audit trail: every recipient decision counted per flow (agreement,
 * partner, recipient) and by category, area and month; the submissions shared with nobody; and the packages
 * still unacknowledged longer than the threshold. Built from audit events alone, so it holds ids and codes
 * only. {@code from} is inclusive (null: from the start of the trail), {@code to} exclusive.
 */
public record FlowReport(Instant from, Instant to, Instant generatedAt, Duration unacknowledgedAfter,
                         FlowCounts total,
                         Map<FlowKey, FlowCounts> flows,
                         Map<String, FlowCounts> byCategory,
                         Map<String, FlowCounts> byArea,
                         Map<String, FlowCounts> byMonth,
                         List<UnroutedSubmission> unrouted,
                         List<PendingPackage> unacknowledged,
                         List<PendingPackage> expired,
                         Map<String, AcknowledgementTimes> acknowledgementByUrgency) {
    /** A report without acknowledgement times (as before urgency was recorded). */
    public FlowReport(Instant from, Instant to, Instant generatedAt, Duration unacknowledgedAfter, FlowCounts total,
                      Map<FlowKey, FlowCounts> flows, Map<String, FlowCounts> byCategory,
                      Map<String, FlowCounts> byArea, Map<String, FlowCounts> byMonth,
                      List<UnroutedSubmission> unrouted, List<PendingPackage> unacknowledged,
                      List<PendingPackage> expired) {
        this(from, to, generatedAt, unacknowledgedAfter, total, flows, byCategory, byArea, byMonth, unrouted,
                unacknowledged, expired, Map.of());
    }

    /** The category or area of decisions whose events carry none (recorded before these codes were). */
    public static final String UNKNOWN = "UNKNOWN";

    public FlowReport {
        acknowledgementByUrgency = Map.copyOf(acknowledgementByUrgency);
        flows = Collections.unmodifiableMap(new TreeMap<>(flows));
        byCategory = Collections.unmodifiableMap(new TreeMap<>(byCategory));
        byArea = Collections.unmodifiableMap(new TreeMap<>(byArea));
        byMonth = Collections.unmodifiableMap(new TreeMap<>(byMonth));
        unrouted = List.copyOf(unrouted);
        unacknowledged = List.copyOf(unacknowledged);
        expired = List.copyOf(expired);
    }

    /** Packages expired in the window (nobody collected them), counted by recipient. */
    public Map<String, Long> expiredByRecipient() {
        Map<String, Long> m = new TreeMap<>();
        expired.forEach(p -> m.merge(p.recipient(), 1L, Long::sum));
        return m;
    }

    /** Unrouted submissions counted by partner. */
    public Map<String, Long> unroutedByPartner() {
        Map<String, Long> m = new TreeMap<>();
        unrouted.forEach(u -> m.merge(u.partner(), 1L, Long::sum));
        return m;
    }

    /** Unacknowledged packages counted by recipient. */
    public Map<String, Long> unacknowledgedByRecipient() {
        Map<String, Long> m = new TreeMap<>();
        unacknowledged.forEach(p -> m.merge(p.recipient(), 1L, Long::sum));
        return m;
    }
}
