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
 */
public final class IntakeGateway {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeGateway.class);

    private final ProducerTemplate template;
    private final SubmissionIntake intake;

    public IntakeGateway(ProducerTemplate template, SubmissionIntake intake) {
        this.template = template;
        this.intake = intake;
    }

    public IntakeAnswer submit(IntakeRequest request) {
        Exchange result = template.send(IntakeRoute.ENDPOINT, e -> e.getMessage().setBody(request));
        if (result.getMessage().getBody() instanceof IntakeContext opened) {
            opened.releaseContent(); // a failure between the steps must not keep the content's memory
        }
        Exception failure = result.getException();
        if (failure == null) {
            return result.getMessage().getBody(IntakeAnswer.class);
        }
        IntakeContext ctx = result.getProperty(IntakeRoute.CONTEXT, IntakeContext.class);
        if (ctx != null && Boolean.TRUE.equals(result.getProperty(IntakeRoute.QUEUED, Boolean.class))) {
            // Durably queued: the submission is the hub's and will be routed; the receipt stands.
            LOG.error("submission queued but its acceptance was not recorded: {}", failure.getClass().getName());
            return new IntakeAnswer(ctx.receipt(), false);
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
