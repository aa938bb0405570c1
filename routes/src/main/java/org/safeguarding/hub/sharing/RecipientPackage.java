package org.safeguarding.hub.sharing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * What one recipient receives: the decision, the submission after redaction (a fresh tree of
 * its own), and the withheld paths (sorted; their order carries no meaning).
 */
public record RecipientPackage(RecipientDecision decision, ObjectNode redactedSubmission, List<String> redactions) {
    /** The decision and the withheld paths only: never the package's content. */
    @Override
    public String toString() {
        return "RecipientPackage[decision=" + decision + ", redactions=" + redactions + "]";
    }

    public RecipientPackage {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(redactedSubmission, "redactedSubmission");
        redactions = List.copyOf(redactions);
    }

    public String recipientId() {
        return decision.recipientId();
    }
}
