package org.safeguarding.hub.reports;

/** Who reads a report, and so what it may show. */
public enum ReportAudience {
    /**
     * The information-governance lead: every figure exact, and the ids of unrouted submissions and late
     * packages, over any window.
     */
    IG_LEAD,
    /**
     * The strategic board: the same fields in aggregate only, under the disclosure control of
     * {@link SmallNumbers}, no ids, and only for a whole calendar month or quarter that has ended
     * ({@link ReportPeriod}), as it stood at its end.
     */
    BOARD
}
