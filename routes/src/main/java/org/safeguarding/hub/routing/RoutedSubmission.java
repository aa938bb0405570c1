package org.safeguarding.hub.routing;

import java.util.List;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.auditing.AuditRecorder.DeliveredPackage;
import org.safeguarding.hub.sharing.RecipientDecision;

/** The outcome of routing one submission: the packages to send and what to record once they are sent. */
public record RoutedSubmission(String partnerId, String submissionId, String receiptId, String envelopeDigest,
                               AuditRecorder.SubmissionFacts facts, List<RecipientDecision> decisions, List<OutgoingPackage> packages,
                               List<DeliveredPackage> delivered) {
    public boolean unrouted() {
        return packages.isEmpty();
    }
}
