package org.safeguarding.hub.intake;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every channel (HTTPS, SFTP) hands a sealed submission to the intake route and gets
 * the answer back: a receipt, the hub's {@link HubException}, or, when the broker did not
 * take the submission, {@code UNAVAILABLE} with the reservation undone so nothing is half-kept.
 * Nothing is ever queued without its record (they commit together in {@link IntakeQueue}).
 */
public final class IntakeGateway {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeGateway.class);

    private final ProducerTemplate template;
    private final SubmissionIntake intake;

    private final org.safeguarding.hub.observe.FlowMetrics metrics;

    public IntakeGateway(ProducerTemplate template, SubmissionIntake intake) {
        this(template, intake, org.safeguarding.hub.observe.FlowMetrics.NONE);
    }

    public IntakeGateway(ProducerTemplate template, SubmissionIntake intake,
                         org.safeguarding.hub.observe.FlowMetrics metrics) {
        this.metrics = metrics;
        this.template = template;
        this.intake = intake;
    }

    /** The answer to one sealed submission, counted in the metrics by outcome. */
    public IntakeAnswer submit(IntakeRequest request) {
        try {
            IntakeAnswer answer = take(request);
            metrics.intake(answer.httpStatus() == 200 ? "REPEATED" : "ACCEPTED", false);
            return answer;
        } catch (HubException e) {
            metrics.intake(e.code().name(), e.code().httpStatus() < 500);
            throw e;
        }
    }

    private IntakeAnswer take(IntakeRequest request) {
        Exchange result = template.send(IntakeRoute.ENDPOINT, e -> e.getMessage().setBody(request));
        IntakeContext ctx = result.getProperty(IntakeRoute.CONTEXT, IntakeContext.class);
        if (ctx == null && result.getMessage().getBody() instanceof IntakeContext opened) {
            ctx = opened;
        }
        Exception failure = result.getException();
        if (failure == null) {
            return result.getMessage().getBody(IntakeAnswer.class);
        }
        if (ctx != null) {
            ctx.done(); // a failure between the steps must not keep the content's memory or its place in the backlog
        }
        if (failure instanceof HubException he) {
            throw he;
        }
        if (ctx != null) {
            intake.notQueued(ctx);
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // the root cause comes from the broker or the JVM, never from the submission's content
        LOG.warn("a submission could not be queued: {}: {}", root.getClass().getName(), root.getMessage());
        throw new HubException(ErrorCode.UNAVAILABLE, "The hub could not store the submission durably.", failure);
    }
}
