package org.safeguarding.hub.partnership;

import java.util.Objects;
import java.util.Set;

/**
 * Which submissions, by their {@code area}, a clause covers: any area, the areas its recipient
 * serves (the "MASH of the submission's area" rule), or an explicit list.
 */
public record AreaRule(Kind kind, Set<Area> areas) {

    public enum Kind {
        /** Every area. */
        ANY,
        /** The submission's area must be one the recipient serves. */
        SERVED,
        /** The submission's area must be in {@link #areas()}. */
        LISTED
    }

    public AreaRule {
        Objects.requireNonNull(kind, "kind");
        areas = Set.copyOf(areas);
    }

    public static AreaRule any() {
        return new AreaRule(Kind.ANY, Set.of());
    }

    public static AreaRule served() {
        return new AreaRule(Kind.SERVED, Set.of());
    }

    public static AreaRule listed(Set<Area> areas) {
        return new AreaRule(Kind.LISTED, areas);
    }

    public boolean admits(Area submissionArea, Participant recipient) {
        return switch (kind) {
            case ANY -> true;
            case SERVED -> recipient.serves(submissionArea);
            case LISTED -> areas.contains(submissionArea);
        };
    }

    @Override
    public String toString() {
        return kind == Kind.LISTED ? areas.toString() : kind.name();
    }
}
