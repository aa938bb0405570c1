package org.safeguarding.hub.intake;

import org.apache.camel.builder.RouteBuilder;

/**
 * Intake: the checks of {@link SubmissionIntake}, then {@link IntakeQueue}'s one broker transaction (the still-sealed
 * submission and its record), then the receipt. The partner's request waits on this route, so the receipt is only
 * answered once the broker has the submission on disk.
 */
public final class IntakeRoute extends RouteBuilder {
    public static final String ENDPOINT = "direct:intake";
    public static final String CONTEXT = "hubIntakeContext";

    private final SubmissionIntake intake;
    private final IntakeQueue queue;

    public IntakeRoute(SubmissionIntake intake, IntakeQueue queue) {
        this.intake = intake;
        this.queue = queue;
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
                        .bean(queue, "enqueue").id("intake-enqueue")
                .end();
    }
}
