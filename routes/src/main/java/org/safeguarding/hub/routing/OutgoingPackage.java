package org.safeguarding.hub.routing;

import java.security.cert.X509Certificate;
import java.util.List;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.sharing.RecipientPackage;

/**
 * One recipient's package, to be sealed and sent for its inbox queue one at a time (see {@link SubmissionRouter#seal}),
 * with the recipient's certificates as they were checked before anything was sent. {@code amendment}, when not null,
 * holds the fields a correction adds to the package JSON ({@code kind}, {@code revision}, {@code changedGroups},
 * {@code supersedes}): codes and ids only.
 */
public record OutgoingPackage(String recipient, String packageId, String submissionId, Participant partner,
                              String routedAt, List<String> categories, RecipientPackage content, String duplicateId,
                              List<X509Certificate> certificates,
                              com.fasterxml.jackson.databind.node.ObjectNode amendment) {
    public OutgoingPackage(String recipient, String packageId, String submissionId, Participant partner,
                           String routedAt, List<String> categories, RecipientPackage content, String duplicateId,
                           List<X509Certificate> certificates) {
        this(recipient, packageId, submissionId, partner, routedAt, categories, content, duplicateId, certificates,
                null);
    }

    public String partnerId() {
        return partner.id();
    }

    /** Identifiers only: never the package's content. */
    @Override
    public String toString() {
        return "OutgoingPackage[recipient=" + recipient + ", packageId=" + packageId + "]";
    }
}
