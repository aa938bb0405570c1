package org.safeguarding.hub.partnership;

import java.util.Set;

/**
 * An inclusive range of ages in whole years, optionally limited to submissions for some areas
 * (the Blackpool 18-25 pilot). {@code to == null} means no upper limit.
 */
public record AgeRange(int from, Integer to, Set<Area> areas) {

    /** A subject of unknown age counts as a child. */
    public static final int CHILD_UNTIL = 17;

    public AgeRange {
        areas = Set.copyOf(areas);
    }

    /** Whether this range applies to a submission for the area. */
    public boolean appliesIn(Area area) {
        return areas.isEmpty() || areas.contains(area);
    }

    /**
     * Whether the age is in the range; {@code null} (unknown age) meets every range that includes
     * an age under 18.
     */
    public boolean includes(Integer age) {
        if (age == null) {
            return from <= CHILD_UNTIL;
        }
        return age >= from && (to == null || age <= to);
    }

    @Override
    public String toString() {
        return from + "-" + (to == null ? "" : to) + (areas.isEmpty() ? "" : " in " + areas);
    }
}
