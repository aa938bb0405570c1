package org.safeguarding.hub.urgency;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.safeguarding.hub.partnership.Category;
import org.safeguarding.hub.partnership.Urgency;
import org.safeguarding.hub.partnership.UrgencyPolicy;
import org.safeguarding.hub.submission.HandlingCode;
import org.safeguarding.hub.submission.SubjectFacts;
import org.safeguarding.hub.submission.ValidSubmission;

/** A submission's urgency under the partnership's rules, and the acknowledgement deadline of its packages. */
public final class Urgencies {
    private Urgencies() {
    }

    /** An urgency and the deadline it gives from a delivery time (null for ROUTINE: no deadline). */
    public record Due(Urgency urgency, Instant deadline) {
        public static final Due ROUTINE = new Due(Urgency.ROUTINE, null);

        /** The fields a package carries for it ({@code urgency}, {@code acknowledgeBy}), added to {@code json}. */
        public ObjectNode addTo(ObjectNode json) {
            ObjectNode out = json == null ? JsonNodeFactory.instance.objectNode() : json;
            if (deadline != null) {
                out.put("urgency", urgency.name());
                out.put("acknowledgeBy", deadline.toString());
            }
            return out;
        }
    }

    /**
     * A recall must be acknowledged as an IMMEDIATE package is, and is escalated like one: its deadline change, or
     * null when the partnership escalates nothing.
     */
    public static org.safeguarding.hub.registry.RegistryChange.Deadline recallDeadline(UrgencyPolicy policy,
                                                                                       String recallId, Instant at,
                                                                                       String area) {
        if (policy.escalateTo().isEmpty()) {
            return null;
        }
        return new org.safeguarding.hub.registry.RegistryChange.Deadline(recallId, Urgency.IMMEDIATE.name(),
                policy.deadline(Urgency.IMMEDIATE, at).orElseThrow(), area);
    }

    /** The submission's urgency ({@code urgency} if it gives one, else the rules) and its deadline from {@code at}. */
    public static Due of(UrgencyPolicy policy, ValidSubmission s, Instant at) {
        String given = s.json().path("urgency").isTextual() ? s.json().path("urgency").asText() : null;
        boolean missingOpen = s.categories().contains(Category.MISSING) && s.json().has("missingEpisode")
                && !s.json().path("missingEpisode").has("to");
        Integer youngest = null;
        for (SubjectFacts c : s.childrenAtRisk()) {
            if (c.age() != null && (youngest == null || c.age() < youngest)) {
                youngest = c.age();
            }
        }
        Urgency u = policy.classify(given, missingOpen, youngest, s.handlingCode() == HandlingCode.C);
        return new Due(u, policy.deadline(u, at).orElse(null));
    }
}
