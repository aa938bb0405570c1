package org.safeguarding.hub.registry;

import java.util.List;

/** A submission's receipt, status and, once routed, its packages. Identifiers and digests only: no content. */
public record SubmissionRecord(Receipt receipt, SubmissionStatus status, List<Delivery> deliveries) {

    /** One recipient's package. */
    public record Delivery(String recipient, String packageId, DeliveryState state) {
    }
}
