package org.safeguarding.hub.reports;

import java.time.Instant;

/**
 * A package delivered to a recipient's inbox and neither acknowledged nor expired since (or, in the list of
 * expired packages, one that expired), with the record key of the event that counts it.
 */
public record PendingPackage(String packageId, String submissionId, String recipient, Instant deliveredAt,
                             long recordKey) {
    public PendingPackage(String packageId, String submissionId, String recipient, Instant deliveredAt) {
        this(packageId, submissionId, recipient, deliveredAt, 0);
    }
}
