package org.safeguarding.hub.partnership;

import java.util.Objects;

/**
 * An agreement's own further condition. The only kind the partnership uses: a
 * {@code CHILD_AT_RISK} subject who is looked after and placed by the named authority
 * (compared ignoring case).
 */
public record FurtherCondition(String lookedAfterPlacedBy) {
    public FurtherCondition {
        Objects.requireNonNull(lookedAfterPlacedBy, "lookedAfterPlacedBy");
    }

    @Override
    public String toString() {
        return "a CHILD_AT_RISK subject looked after and placed by " + lookedAfterPlacedBy;
    }
}
