package org.safeguarding.hub.registry;

import java.time.Instant;

/** What the hub answered when it accepted a submission; answered again, unchanged, for a repeat with the same content. */
public record Receipt(String partnerId, String submissionId, String receiptId, Instant receivedAt, String contentDigest) {
}
