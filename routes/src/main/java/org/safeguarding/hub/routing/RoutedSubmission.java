package org.safeguarding.hub.routing;

import org.safeguarding.hub.alerts.SubmissionLinks;

import java.util.List;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.auditing.AuditRecorder.DeliveredPackage;
import org.safeguarding.hub.sharing.RecipientDecision;

/**
 * The outcome of routing one submission: the packages to seal and send, one at a time, and what to record once they
 * are sent. {@code delivered} fills as each package is sealed (one routing exchange, one thread). {@code decisionFacts}:
 * what its decisions turned on, kept for the IG lead's what-if (null: not kept).
 */
public record RoutedSubmission(String partnerId, String submissionId, String receiptId, String envelopeDigest,
                               AuditRecorder.SubmissionFacts facts, List<RecipientDecision> decisions, List<OutgoingPackage> packages,
                               List<DeliveredPackage> delivered, SubmissionLinks.Linking linking,
                               List<SubmissionRouter.OutgoingAlert> alerts,
                               org.safeguarding.hub.registry.RegistryChange.Facts decisionFacts) {
    public boolean unrouted() {
        return packages.isEmpty();
    }

    /** Identifiers only: never the packages' content. */
    @Override
    public String toString() {
        return "RoutedSubmission[partnerId=" + partnerId + ", submissionId=" + submissionId + ", packages="
                + packages.size() + "]";
    }
}
