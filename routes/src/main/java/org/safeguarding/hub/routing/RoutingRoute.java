package org.safeguarding.hub.routing;

import org.apache.camel.builder.RouteBuilder;
import org.safeguarding.hub.broker.QueueNames;

/**
 * Routing: a transacted consumer of the intake queue. The sealed submission is spooled to a file as it is consumed;
 * each package is sealed into a file and sent before the next is built, so only the submission's content is held in
 * memory, once. The packages for every recipient and
 * the consume of the submission commit together in one broker transaction, so a crash
 * replays the submission rather than losing or half-delivering it; duplicate detection keyed
 * on submission and recipient makes the replay harmless.
 */
public final class RoutingRoute extends RouteBuilder {
    public static final String ROUTED = "hubRoutedSubmission";

    private final SubmissionRouter router;
    private final int consumers;

    public RoutingRoute(SubmissionRouter router, int consumers) {
        this.router = router;
        this.consumers = consumers;
    }

    @Override
    public void configure() {
        // the JMS message itself: its body goes to a spool file in chunks, never into one array
        from("jms:queue:" + QueueNames.INTAKE + "?mapJmsMessage=false&concurrentConsumers=" + consumers)
                .routeId("routing").routeConfigurationId(RoutingErrorPolicy.ID)
                .bean(router.messageSpool(), "take").id("routing-spool-submission")
                .bean(router, "route(${exchangeProperty." + MessageSpool.SEALED + "}, ${header." + QueueNames.RECEIPT_ID + "}, ${header."
                        + QueueNames.RECEIVED_AT + "}, ${exchange})").id("routing-decide-redact-seal")
                .setProperty(ROUTED, body())
                .split(simple("${body.packages()}")).id("routing-each-package")
                    // one package at a time: sealed into a spool file, streamed to its inbox, then the next
                    .bean(router, "seal(${exchangeProperty." + ROUTED + "}, ${body}, ${exchange})").id("routing-seal-package")
                    .bean(PackageMessages.class, "toInboxMessage").id("routing-package-message")
                    .to("jms:queue:" + QueueNames.DEAD_LETTER + "?jmsMessageType=Bytes&deliveryPersistent=true")
                        .id("routing-send-package")
                    .bean(PackageMessages.class, "sent")
                .end()
                .setBody(exchangeProperty(ROUTED))
                .bean(router, "recorded").id("routing-record");
    }
}
