package org.safeguarding.hub.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;

/**
 * Builds a {@link FlowReport} from audit events handed to it oldest first (a {@link Consumer} for
 * {@code AuditTrail.export}). Events in the window [from, to) are counted; acknowledgements and expiries
 * after {@code to} still close a package, so feed it everything from {@code from} onwards. Memory grows with
 * the number of flows, the unrouted submissions and the packages still open in the window, not with the
 * number of events.
 *
 * <p>Reads the codes the hub writes: a DECISION's participant (the recipient), agreement, decision and
 * reason, and the {@code partner=}, {@code categories=} and {@code area=} of its detail; the partner and the
 * same codes on SUBMISSION_UNROUTED; the package ids of PACKAGE_DELIVERED, PACKAGE_ACKNOWLEDGED and
 * PACKAGE_EXPIRED. A missing code counts as {@value FlowReport#UNKNOWN}. Every count also gets the cell key of
 * its events (the sum of their record keys, from their hashes), for the board's disclosure control.
 *
 * <p>{@link #asAtEndOf} makes the board's report of a period as it stood when the period ended: packages
 * still waiting then, acknowledgements and expiries after it ignored. Such a report depends on the period's
 * events alone, so it is the same whenever it is asked for.
 */
public final class FlowReportBuilder implements Consumer<AuditEvent> {
    private final Instant from;
    private final Instant to;
    private final Instant now;
    private final Duration unacknowledgedAfter;
    /** Acknowledgements and expiries at or after this are not counted (null: all are). */
    private final Instant closedBefore;
    private final FlowCounts.Tally total = new FlowCounts.Tally();
    private final Map<FlowKey, FlowCounts.Tally> flows = new HashMap<>();
    private final Map<String, FlowCounts.Tally> byCategory = new HashMap<>();
    private final Map<String, FlowCounts.Tally> byArea = new HashMap<>();
    private final Map<String, FlowCounts.Tally> byMonth = new HashMap<>();
    private final List<UnroutedSubmission> unrouted = new ArrayList<>();
    private final Map<String, PendingPackage> open = new LinkedHashMap<>();
    private final List<PendingPackage> expired = new ArrayList<>();
    /** The urgency of each package delivered in the window (ROUTINE when its event names none). */
    private final Map<String, String> urgencyOf = new HashMap<>();
    private final Map<String, AcknowledgementTimes.Tally> acknowledgement = new java.util.TreeMap<>();

    /**
     * @param from                first instant counted (null: the start of the trail)
     * @param to                  first instant not counted (null: no end)
     * @param now                 when the report is made: a package is overdue when delivered longer ago than
     *                            {@code unacknowledgedAfter}
     */
    public FlowReportBuilder(Instant from, Instant to, Instant now, Duration unacknowledgedAfter) {
        this(from, to, now, unacknowledgedAfter, null);
    }

    private FlowReportBuilder(Instant from, Instant to, Instant now, Duration unacknowledgedAfter,
                              Instant closedBefore) {
        this.closedBefore = closedBefore;
        this.from = from;
        this.to = to;
        this.now = Objects.requireNonNull(now, "now");
        this.unacknowledgedAfter = Objects.requireNonNull(unacknowledgedAfter, "unacknowledgedAfter");
        if (unacknowledgedAfter.isNegative()) {
            throw new IllegalArgumentException("unacknowledgedAfter must not be negative");
        }
    }

    /**
     * The report of {@code period} as it stood at its end: {@code now} is the period's end, and an
     * acknowledgement or expiry after it does not close a package.
     */
    public static FlowReportBuilder asAtEndOf(ReportPeriod period, Duration unacknowledgedAfter) {
        return new FlowReportBuilder(period.from(), period.to(), period.to(), unacknowledgedAfter, period.to());
    }

    @Override
    public void accept(AuditEvent e) {
        if (e.type() == AuditEventType.PACKAGE_ACKNOWLEDGED || e.type() == AuditEventType.PACKAGE_EXPIRED) {
            if (closedBefore != null && !e.time().isBefore(closedBefore)) {
                return;
            }
            PendingPackage delivered = e.packageId() == null ? null : open.remove(e.packageId());
            if (delivered != null && e.type() == AuditEventType.PACKAGE_ACKNOWLEDGED) {
                acknowledgement.computeIfAbsent(urgencyOf.getOrDefault(e.packageId(), "ROUTINE"),
                        u -> new AcknowledgementTimes.Tally())
                        .add(Duration.between(delivered.deliveredAt(), e.time()), key(e));
            }
            if (e.type() == AuditEventType.PACKAGE_EXPIRED && inWindow(e.time())) {
                expired.add(new PendingPackage(e.packageId(), e.submissionId(), orUnknown(e.participant()),
                        delivered == null ? e.time() : delivered.deliveredAt(), key(e)));
            }
            return;
        }
        if (!inWindow(e.time())) {
            return;
        }
        switch (e.type()) {
            case DECISION -> decision(e);
            case SUBMISSION_UNROUTED -> unrouted.add(new UnroutedSubmission(e.submissionId(),
                    orUnknown(e.participant()), e.time(), categories(e.detail()), area(e.detail()), key(e)));
            case PACKAGE_DELIVERED -> {
                if (e.packageId() != null) {
                    open.put(e.packageId(), new PendingPackage(e.packageId(), e.submissionId(),
                            orUnknown(e.participant()), e.time(), key(e)));
                    String urgency = value(e.detail(), "urgency");
                    urgencyOf.put(e.packageId(), urgency == null || !URGENCY.matcher(urgency).matches() ? "ROUTINE"
                            : urgency);
                }
            }
            default -> { }
        }
    }

    private void decision(AuditEvent e) {
        boolean shared = "SHARED".equals(e.decision());
        String reason = e.reasonCode();
        String detail = e.detail();
        long k = key(e);
        FlowKey key = new FlowKey(e.agreementId() == null ? FlowKey.NO_AGREEMENT : e.agreementId(),
                e.agreementVersion(), orUnknown(value(detail, "partner")), orUnknown(e.participant()));
        total.add(shared, reason, k);
        flows.computeIfAbsent(key, x -> new FlowCounts.Tally()).add(shared, reason, k);
        List<String> categories = categories(detail);
        for (String c : categories.isEmpty() ? List.of(FlowReport.UNKNOWN) : categories) {
            byCategory.computeIfAbsent(c, x -> new FlowCounts.Tally()).add(shared, reason, k);
        }
        String area = area(detail);
        byArea.computeIfAbsent(area == null ? FlowReport.UNKNOWN : area, x -> new FlowCounts.Tally())
                .add(shared, reason, k);
        byMonth.computeIfAbsent(YearMonth.from(e.time().atOffset(ReportPeriod.ZONE)).toString(),
                x -> new FlowCounts.Tally()).add(shared, reason, k);
    }

    private static long key(AuditEvent e) {
        return SmallNumbers.recordKey(e.hash() != null ? e.hash() : String.valueOf(e.id()));
    }

    public FlowReport build() {
        Instant overdue = now.minus(unacknowledgedAfter);
        List<PendingPackage> late = open.values().stream().filter(p -> !p.deliveredAt().isAfter(overdue)).toList();
        Map<String, AcknowledgementTimes> times = new java.util.TreeMap<>();
        acknowledgement.forEach((u, t) -> times.put(u, t.times()));
        return new FlowReport(from, to, now, unacknowledgedAfter, total.counts(), counts(flows), counts(byCategory),
                counts(byArea), counts(byMonth), unrouted, late, expired, times);
    }

    private boolean inWindow(Instant t) {
        return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
    }

    private static <K> Map<K, FlowCounts> counts(Map<K, FlowCounts.Tally> tallies) {
        Map<K, FlowCounts> m = new HashMap<>();
        tallies.forEach((k, v) -> m.put(k, v.counts()));
        return m;
    }

    private static String orUnknown(String s) {
        return s == null ? FlowKey.UNKNOWN : s;
    }

    private static List<String> categories(String detail) {
        String v = value(detail, "categories");
        return v == null || v.isEmpty() ? List.of() : Arrays.stream(v.split("\\+")).filter(s -> !s.isEmpty()).toList();
    }

    private static String area(String detail) {
        String v = value(detail, "area");
        return v == null || v.isEmpty() ? null : v;
    }

    /** The value of {@code key} in a {@code key=value;key=value} detail, or null. */
    private static final java.util.regex.Pattern URGENCY = java.util.regex.Pattern.compile("ROUTINE|PRIORITY|IMMEDIATE");

    static String value(String detail, String key) {
        if (detail == null) {
            return null;
        }
        for (String part : detail.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equals(key)) {
                return part.substring(eq + 1);
            }
        }
        return null;
    }
}
