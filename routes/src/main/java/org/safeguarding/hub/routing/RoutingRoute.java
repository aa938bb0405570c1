package org.safeguarding.hub.routing;

import org.apache.camel.builder.RouteBuilder;
import org.safeguarding.hub.broker.QueueNames;

/**
 * Routing: {@code consumers} transacted consumers of the intake queue, each on the listener's own session with no
 * transaction manager, so that the packages for every recipient, the step's record and the consume of the submission
 * commit together in one local broker transaction (see {@link SubmissionRouter}). A crash at any instant replays the
 * submission whole or finds it done. A failure propagates to the consumer, which rolls back; the broker redelivers
 * with back-off and, after the last attempt, dead-letters it ({@link DeadLetterRoute}).
 */
public final class RoutingRoute extends RouteBuilder {
    private final SubmissionRouter router;
    private final int consumers;
    private final CrashPoint beforeCommit;

    public RoutingRoute(SubmissionRouter router, int consumers) {
        this(router, consumers, CrashPoint.beforeRoutingCommit());
    }

    RoutingRoute(SubmissionRouter router, int consumers, CrashPoint beforeCommit) {
        this.router = router;
        this.consumers = consumers;
        this.beforeCommit = beforeCommit;
    }

    @Override
    public void configure() {
        // failures roll the consumer's transaction back: nothing is handled (or logged with content) by Camel
        errorHandler(noErrorHandler());
        from("jms:queue:" + QueueNames.INTAKE + "?mapJmsMessage=false&concurrentConsumers=" + consumers
                + "&maxConcurrentConsumers=" + consumers)
                .routeId("routing")
                .process(new RoutingStep(router::route)).id("routing-step")
                .process(new RoutingStep.Commit(beforeCommit)).id("routing-commit");
    }
}
