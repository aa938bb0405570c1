package org.safeguarding.hub.routing;

import java.util.List;

/** One recipient's sealed package, ready for its inbox queue. */
public record OutgoingPackage(String recipient, String packageId, String submissionId, String partnerId,
                              String routedAt, List<String> categories, byte[] sealed, String duplicateId) {
}
