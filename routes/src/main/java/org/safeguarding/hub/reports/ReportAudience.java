package org.safeguarding.hub.reports;

/** Who reads a report, and so what it may show. */
public enum ReportAudience {
    /** The information-governance lead: every figure, and the ids of unrouted submissions and late packages. */
    IG_LEAD,
    /** The strategic board: the same figures in aggregate only, small numbers suppressed, no ids. */
    BOARD
}
