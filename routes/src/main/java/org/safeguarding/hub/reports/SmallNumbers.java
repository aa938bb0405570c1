package org.safeguarding.hub.reports;

/**
 * Small-number suppression for aggregate statistics: a count under {@value #THRESHOLD} could point at
 * a child, so it is shown as {@value #SUPPRESSED} (zero included, so that "none" and "a few" look alike).
 */
public final class SmallNumbers {
    public static final int THRESHOLD = 5;
    public static final String SUPPRESSED = "<5";

    private SmallNumbers() {
    }

    public static boolean suppressed(long count) {
        return count < THRESHOLD;
    }
}
