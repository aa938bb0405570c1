package org.safeguarding.hub.routing;

import org.apache.camel.builder.RouteBuilder;
import org.safeguarding.hub.broker.QueueNames;

/**
 * What the broker gives up on after its last delivery attempt lands on the dead-letter queue;
 * this route takes it from there to quarantine, still sealed, and records why, in one broker
 * transaction, so that nothing ends unaccounted for: the partner's status shows FAILED and
 * information governance sees it.
 */
public final class DeadLetterRoute extends RouteBuilder {
    public static final String REASON = "DELIVERY_ATTEMPTS_EXHAUSTED";
    private final SubmissionRouter router;

    public DeadLetterRoute(SubmissionRouter router) {
        this.router = router;
    }

    @Override
    public void configure() {
        errorHandler(noErrorHandler());
        from("jms:queue:" + QueueNames.DEAD_LETTER + "?mapJmsMessage=false").routeId("dead-letters")
                .process(new RoutingStep(router::deadLettered)).id("dead-letter-quarantine")
                .process(new RoutingStep.Commit(CrashPoint.NONE)).id("dead-letter-commit");
    }
}
