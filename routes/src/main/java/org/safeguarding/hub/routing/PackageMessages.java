package org.safeguarding.hub.routing;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsConstants;
import org.safeguarding.hub.broker.QueueNames;

/** A package's inbox message: the sealed package, addressed to the recipient's queue, with its ids as properties. */
public final class PackageMessages {
    private PackageMessages() {
    }

    public static void toInboxMessage(Exchange exchange) {
        OutgoingPackage p = exchange.getMessage().getBody(OutgoingPackage.class);
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
        m.setBody(p.sealed());
    }
}
