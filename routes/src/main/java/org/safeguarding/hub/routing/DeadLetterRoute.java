package org.safeguarding.hub.routing;

import org.apache.camel.builder.RouteBuilder;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.intake.StreamedBodies;

/**
 * What the broker gives up on after its last delivery attempt lands on the dead-letter queue;
 * this route takes it from there to quarantine, still sealed, and records why, so that nothing
 * ends unaccounted for: the partner's status shows FAILED and information governance sees it.
 */
public final class DeadLetterRoute extends RouteBuilder {
    public static final String REASON = "DELIVERY_ATTEMPTS_EXHAUSTED";
    private final SubmissionRouter router;

    public DeadLetterRoute(SubmissionRouter router) {
        this.router = router;
    }

    @Override
    public void configure() {
        // the JMS message itself, spooled to a file: a dead letter may be a large submission or package
        from("jms:queue:" + QueueNames.DEAD_LETTER + "?mapJmsMessage=false").routeId("dead-letters")
                .bean(router.messageSpool(), "take").id("dead-letter-spool")
                .setHeader(QueueNames.QUARANTINE_REASON, constant(REASON))
                .bean(router, "deadLettered(${header." + QueueNames.PARTNER_ID + "}, ${header."
                        + QueueNames.SUBMISSION_ID + "}, ${header." + QueueNames.RECEIPT_ID + "}, ${header."
                        + QueueNames.PACKAGE_ID + "}, ${exchangeProperty." + MessageSpool.SEALED + "})").id("dead-letter-record")
                .setProperty(StreamedBodies.BODY, exchangeProperty(MessageSpool.SEALED))
                .setBody(constant(new byte[0]))
                .to("jms:queue:" + QueueNames.QUARANTINE + "?jmsMessageType=Bytes&deliveryPersistent=true")
                    .id("dead-letter-quarantine");
    }
}
