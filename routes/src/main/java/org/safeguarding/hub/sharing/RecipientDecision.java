package org.safeguarding.hub.sharing;

import java.util.Objects;
import java.util.Set;

/**
 * The decision for one recipient of one submission.
 *
 * @param agreementId      SHARED: the agreement it is shared under. NOT_SHARED: the agreement whose
 *                         clause gave the reason (for AGREEMENT_EXPIRED the first expired one), or
 *                         {@code null} for NO_AGREEMENT and RECIPIENT_SUSPENDED
 * @param agreementVersion the version of that agreement, or {@code null}
 * @param reason           {@code null} when SHARED
 * @param withheld         the paths withheld from the package (empty when NOT_SHARED); a set
 */
public record RecipientDecision(String recipientId, Decision decision, String agreementId, Integer agreementVersion,
                                ReasonCode reason, Set<String> withheld) {

    public RecipientDecision {
        Objects.requireNonNull(recipientId, "recipientId");
        Objects.requireNonNull(decision, "decision");
        withheld = Set.copyOf(withheld);
        if ((decision == Decision.SHARED) != (reason == null)) {
            throw new IllegalArgumentException("a SHARED decision has no reason; a NOT_SHARED one has one");
        }
        if (decision == Decision.SHARED && agreementId == null) {
            throw new IllegalArgumentException("a SHARED decision names its agreement");
        }
    }

    public boolean shared() {
        return decision == Decision.SHARED;
    }

    static RecipientDecision notShared(String recipientId, ReasonCode reason, String agreementId, Integer version) {
        return new RecipientDecision(recipientId, Decision.NOT_SHARED, agreementId, version, reason, Set.of());
    }
}
