package org.safeguarding.hub.sharing;

import java.util.List;
import java.util.Optional;

/**
 * Every recipient's decision for one submission (one per recipient of the partnership, in the
 * configuration's order) and the packages of the SHARED ones.
 */
public record SharingPlan(String submissionId, List<RecipientDecision> decisions, List<RecipientPackage> packages) {
    public SharingPlan {
        decisions = List.copyOf(decisions);
        packages = List.copyOf(packages);
    }

    /** Shared with nobody: accepted, audited and reported to information governance, never dropped. */
    public boolean unrouted() {
        return packages.isEmpty();
    }

    public Optional<RecipientDecision> decisionFor(String recipientId) {
        return decisions.stream().filter(d -> d.recipientId().equals(recipientId)).findFirst();
    }

    public Optional<RecipientPackage> packageFor(String recipientId) {
        return packages.stream().filter(p -> p.recipientId().equals(recipientId)).findFirst();
    }
}
