package org.safeguarding.hub.routing;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsConstants;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.intake.StreamedBodies;

/**
 * A package's inbox message: the sealed package, addressed to the recipient's queue, with its ids as properties. The
 * sealed bytes stream from their spool file to the broker ({@link StreamedBodies}).
 */
public final class PackageMessages {
    private PackageMessages() {
    }

    public static void toInboxMessage(Exchange exchange) {
        SealedPackage sealed = exchange.getMessage().getBody(SealedPackage.class);
        OutgoingPackage p = sealed.outgoing();
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        // overrides the endpoint's placeholder destination
        m.setHeader(JmsConstants.JMS_DESTINATION_NAME, QueueNames.inbox(p.recipient()));
        m.setHeader(QueueNames.PACKAGE_ID, p.packageId());
        m.setHeader(QueueNames.SUBMISSION_ID, p.submissionId());
        m.setHeader(QueueNames.RECIPIENT, p.recipient());
        m.setHeader(QueueNames.ROUTED_AT, p.routedAt());
        m.setHeader(QueueNames.CATEGORIES, String.join(",", p.categories()));
        m.setHeader(QueueNames.DUPLICATE_ID, p.duplicateId());
        m.setBody(new byte[0]);
        exchange.setProperty(StreamedBodies.BODY, sealed.sealed());
    }

    /** After the send: the body is the broker's now, and must not stream into any later send. */
    public static void sent(Exchange exchange) {
        exchange.removeProperty(StreamedBodies.BODY);
    }
}
