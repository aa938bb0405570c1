package org.safeguarding.hub.registry;

import java.util.List;

/** A submission's receipt, status and, once routed, its packages. Identifiers and digests only: no content. */
public record SubmissionRecord(Receipt receipt, SubmissionStatus status, List<Delivery> deliveries) {

    /** One recipient's package, of its kind ({@code package}, or {@code update} after a correction). */
    public record Delivery(String recipient, String packageId, DeliveryState state, String kind, int escalations) {
        public Delivery {
            kind = kind == null ? DeliveryRecord.PACKAGE : kind;
        }

        public Delivery(String recipient, String packageId, DeliveryState state) {
            this(recipient, packageId, state, DeliveryRecord.PACKAGE, 0);
        }

        /** The state a partner is shown: ESCALATED for a pending package escalated past its deadline. */
        public String shownState() {
            return state == DeliveryState.DELIVERED && escalations > 0 ? "ESCALATED" : state.name();
        }
    }
}
