package org.safeguarding.hub.routing;

import java.security.cert.X509Certificate;
import java.util.List;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.sharing.RecipientPackage;

/**
 * One recipient's package, to be sealed and sent for its inbox queue one at a time (see {@link SubmissionRouter#seal}),
 * with the recipient's certificates as they were checked before anything was sent.
 */
public record OutgoingPackage(String recipient, String packageId, String submissionId, Participant partner,
                              String routedAt, List<String> categories, RecipientPackage content, String duplicateId,
                              List<X509Certificate> certificates) {
    public String partnerId() {
        return partner.id();
    }

    /** Identifiers only: never the package's content. */
    @Override
    public String toString() {
        return "OutgoingPackage[recipient=" + recipient + ", packageId=" + packageId + "]";
    }
}
