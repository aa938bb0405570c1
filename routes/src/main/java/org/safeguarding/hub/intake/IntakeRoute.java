package org.safeguarding.hub.intake;

import org.apache.camel.builder.RouteBuilder;
import org.safeguarding.hub.broker.QueueNames;

/**
 * Intake: the checks of {@link SubmissionIntake}, then the still-sealed submission onto the
 * durable intake queue, then the receipt. The partner's request waits on this route, so the
 * receipt is only answered once the broker has the submission on disk.
 */
public final class IntakeRoute extends RouteBuilder {
    public static final String ENDPOINT = "direct:intake";
    public static final String CONTEXT = "hubIntakeContext";
    /** Set once the broker has the submission: from then on it is the hub's, whatever fails after. */
    public static final String QUEUED = "hubIntakeQueued";

    private final SubmissionIntake intake;

    public IntakeRoute(SubmissionIntake intake) {
        this.intake = intake;
    }

    @Override
    public void configure() {
        // The caller (IntakeGateway) answers every failure; a refused submission is not an error to log.
        errorHandler(noErrorHandler());
        from(ENDPOINT).routeId("intake")
                .bean(intake, "open").id("intake-open")
                .bean(intake, "reserve").id("intake-reserve")
                .setProperty(CONTEXT, body())
                .choice().id("intake-repeat-or-new")
                    .when(simple("${body.isRepeat()}"))
                        .bean(intake, "repeat").id("intake-repeat")
                    .otherwise()
                        .bean(IntakeMessages.class, "toQueueMessage").id("intake-seal-message")
                        .to("intake-jms:queue:" + QueueNames.INTAKE + "?jmsMessageType=Bytes&deliveryPersistent=true")
                            .id("intake-enqueue")
                        .setProperty(QUEUED, constant(Boolean.TRUE))
                        .setBody(exchangeProperty(CONTEXT))
                        .bean(intake, "accepted").id("intake-accepted")
                .end();
    }
}
