package org.safeguarding.hub.partnership;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one agreement allows one recipient to receive. Empty category, purpose and
 * classification sets never occur: "all" is expressed by the full set.
 *
 * @param condition the agreement's further condition for this recipient, or {@code null}
 */
public record Clause(String recipientId, AreaRule areas, Set<Category> categories, Set<Purpose> purposes,
                     List<AgeRange> ages, Set<Classification> classifications, FurtherCondition condition) {

    public Clause {
        Objects.requireNonNull(recipientId, "recipientId");
        Objects.requireNonNull(areas, "areas");
        categories = Set.copyOf(categories);
        purposes = Set.copyOf(purposes);
        ages = List.copyOf(ages);
        classifications = Set.copyOf(classifications);
    }

    public Optional<FurtherCondition> furtherCondition() {
        return Optional.ofNullable(condition);
    }

    /** Whether at least one of the categories is covered. */
    public boolean coversAny(Set<Category> submissionCategories) {
        return submissionCategories.stream().anyMatch(categories::contains);
    }

    /** Whether an age (null = unknown) is in scope for a submission for the area. */
    public boolean ageInScope(Integer age, Area area) {
        return ages.stream().anyMatch(r -> r.appliesIn(area) && r.includes(age));
    }
}
