package org.safeguarding.hub.submission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.safeguarding.hub.partnership.Area;
import org.safeguarding.hub.partnership.Category;
import org.safeguarding.hub.partnership.Classification;
import org.safeguarding.hub.partnership.Purpose;

/**
 * A submission that passed the role, area and field checks (not yet the time window): the
 * parsed tree, in which no unknown field remains, and the typed facts that decisions use.
 * {@code json} is a private copy; treat it as read-only.
 *
 * @param handlingConditions {@code handling.conditions}, or {@code null} with code P
 */
public record ValidSubmission(ObjectNode json, String submissionId, String partnerId, Instant submittedAt,
                              Area area, Set<Category> categories, Purpose purpose, Classification classification,
                              HandlingCode handlingCode, String handlingConditions, List<SubjectFacts> subjects) {
    /** Identifiers and codes only: the submission's content must never reach a log by accident. */
    @Override
    public String toString() {
        return "ValidSubmission[submissionId=" + submissionId + ", partnerId=" + partnerId + ", area=" + area
                + ", categories=" + categories + "]";
    }


    public ValidSubmission {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(submissionId, "submissionId");
        Objects.requireNonNull(partnerId, "partnerId");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(handlingCode, "handlingCode");
        categories = Set.copyOf(categories);
        subjects = List.copyOf(subjects);
    }

    public Optional<String> conditions() {
        return Optional.ofNullable(handlingConditions);
    }

    /** The CHILD_AT_RISK subjects. */
    public List<SubjectFacts> childrenAtRisk() {
        return subjects.stream().filter(SubjectFacts::isChildAtRisk).toList();
    }
}
