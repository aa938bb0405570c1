package org.safeguarding.hub.live;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.sharing.Pseudonymiser;
import org.safeguarding.hub.sharing.SharingPlanner;
import org.safeguarding.hub.submission.SubmissionValidator;

/**
 * The partnership the hub runs on now, with the validator and planner built for it. A new
 * configuration replaces all three at once, so a submission is always judged by one
 * consistent version.
 */
public final class LivePartnership {

    /** One consistent version: the partnership and the steps built from it. */
    public record Version(Partnership partnership, SubmissionValidator validator, SharingPlanner planner) {
    }

    private final Pseudonymiser pseudonymiser;
    private final AtomicReference<Version> current = new AtomicReference<>();

    public LivePartnership(Partnership initial, Pseudonymiser pseudonymiser) {
        this.pseudonymiser = Objects.requireNonNull(pseudonymiser);
        replace(initial);
    }

    public Version current() {
        return current.get();
    }

    public Partnership partnership() {
        return current.get().partnership();
    }

    public void replace(Partnership partnership) {
        current.set(new Version(partnership, new SubmissionValidator(partnership),
                new SharingPlanner(partnership, pseudonymiser)));
    }
}
