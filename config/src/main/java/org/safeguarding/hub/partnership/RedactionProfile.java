package org.safeguarding.hub.partnership;

import java.util.Objects;
import java.util.Set;

/**
 * What recipients of one sector see of each field group of a submission.
 *
 * @param contextTypes for {@link ContextRule#ONLY}: the context types kept; empty otherwise
 */
public record RedactionProfile(IdentityRule identity, GroupRule health, SourceRule source, NarrativeRule narrative,
                               ContextRule contexts, Set<ContextType> contextTypes, GroupRule care,
                               GroupRule episode, GroupRule attachments) {

    /** Identity of subjects ({@code subjects[].identity}). */
    public enum IdentityRule {
        /** Every subject's identity in full. */
        FULL,
        /** Full for CHILD_AT_RISK subjects; other subjects' identity becomes a pseudonym. */
        PSEUDONYM_FOR_OTHER_ROLES,
        /** Full for CHILD_AT_RISK subjects; other subjects are dropped from the list. */
        DROP_OTHER_SUBJECTS,
        /** No subject's identity. */
        WITHHELD
    }

    /** A group seen in full or not at all. */
    public enum GroupRule { FULL, WITHHELD }

    /** SOURCE: {@code grading} and {@code source}. */
    public enum SourceRule { FULL, GRADING_ONLY, WITHHELD }

    /** NARRATIVE. */
    public enum NarrativeRule { FULL, SCRUBBED, WITHHELD }

    /** CONTEXTS. */
    public enum ContextRule { FULL, ONLY, WITHHELD }

    public RedactionProfile {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(narrative, "narrative");
        Objects.requireNonNull(contexts, "contexts");
        Objects.requireNonNull(care, "care");
        Objects.requireNonNull(episode, "episode");
        Objects.requireNonNull(attachments, "attachments");
        contextTypes = Set.copyOf(contextTypes);
    }

    /** Whether a context of this type is kept. */
    public boolean keepsContext(ContextType type) {
        return switch (contexts) {
            case FULL -> true;
            case WITHHELD -> false;
            case ONLY -> contextTypes.contains(type);
        };
    }
}
