package org.safeguarding.hub.registry;

import java.time.Instant;
import java.util.List;

/**
 * One change to the submission registry, made by a step of the flow and committed with that step's broker transaction;
 * {@link RegistryProjection} applies it afterwards. Every change can be applied again without effect, so a replayed
 * step changes nothing twice. Identifiers, codes and digests only.
 */
public sealed interface RegistryChange {
    /** The submission is durably queued with this receipt: the first receipt, answered again to every repeat. */
    record Accepted(Receipt receipt) implements RegistryChange {
    }

    /** The submission's routing ended (ROUTED, UNROUTED or FAILED); an earlier status never overwrites a later one. */
    record Status(String partnerId, String submissionId, SubmissionStatus status) implements RegistryChange {
    }

    /** One recipient's package is on its inbox queue. */
    record Delivered(String partnerId, String submissionId, String recipient, String packageId, Instant routedAt,
                     List<String> categories, long size) implements RegistryChange {
        public Delivered {
            categories = List.copyOf(categories);
        }
    }

    /** A package left its inbox: acknowledged or expired. */
    record PackageState(String packageId, DeliveryState state) implements RegistryChange {
    }
}
