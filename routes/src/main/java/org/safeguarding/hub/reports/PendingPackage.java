package org.safeguarding.hub.reports;

import java.time.Instant;

/** A package delivered to a recipient's inbox and neither acknowledged nor expired since. */
public record PendingPackage(String packageId, String submissionId, String recipient, Instant deliveredAt) {
}
