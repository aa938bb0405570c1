package org.safeguarding.hub.routing;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.intake.StreamedBodies;

/**
 * Routing's error policy, in one place. A {@link HubException} with a lasting code (the
 * submission can never be routed as it is) sends the original sealed message to quarantine
 * with an audit event, and the consume commits. A passing code ({@code UNAVAILABLE}: a store
 * briefly unreachable) must not, since packages may already be sent in the transaction. Anything else is passing: the transaction rolls back and
 * the broker redelivers with back-off, and after the last attempt moves it to the dead-letter
 * queue. Nothing ends in a silent drop.
 */
public final class RoutingErrorPolicy extends RouteConfigurationBuilder {
    public static final String ID = "routing-errors";
    private final SubmissionRouter router;

    public RoutingErrorPolicy(SubmissionRouter router) {
        this.router = router;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(HubException.class)
                    // UNAVAILABLE is passing, even after packages were sent: roll back and retry
                    .onWhen(simple("${exception.code().isPassing()} == false"))
                    .handled(true)
                    .useOriginalMessage()
                    // the sealed submission streams from its spool file (a lasting failure comes after the spooling)
                    .setProperty(StreamedBodies.BODY, exchangeProperty(MessageSpool.SEALED))
                    .setBody(constant(new byte[0]))
                    .setHeader(QueueNames.QUARANTINE_REASON, simple("${exception.code().name()}"))
                    .bean(router, "quarantined(${header." + QueueNames.PARTNER_ID + "}, ${header."
                            + QueueNames.SUBMISSION_ID + "}, ${header." + QueueNames.RECEIPT_ID + "}, ${exchangeProperty."
                            + MessageSpool.SEALED + "}, ${header."
                            + QueueNames.QUARANTINE_REASON + "})")
                    .to("jms:queue:" + QueueNames.QUARANTINE + "?jmsMessageType=Bytes&deliveryPersistent=true")
                .end();
    }
}
