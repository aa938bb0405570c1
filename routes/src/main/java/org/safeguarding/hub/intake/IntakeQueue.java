package org.safeguarding.hub.intake;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.safeguarding.hub.auditing.AuditFeed;
import org.safeguarding.hub.auditing.AuditOutbox;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.auditing.StepRecord;
import org.safeguarding.hub.broker.MessageBodies;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.registry.Receipt;
import org.safeguarding.hub.registry.RegistryChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit point of intake: one broker transaction holds the still-sealed submission on the intake queue (with its
 * duplicate id, partner and submission id) and the step's record (its arrival, its acceptance with the receipt, the
 * registry's receipt), and the partner is answered only once that transaction is on disk. A crash before the commit
 * leaves nothing; after it, everything. A copy the broker already holds (a retry whose first answer was lost, or a
 * racing one) is answered with the first receipt.
 */
public final class IntakeQueue {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeQueue.class);
    private static final jakarta.jms.Queue INTAKE = ActiveMQJMSClient.createQueue(QueueNames.INTAKE);

    private final ConnectionFactory sessions;
    private final SubmissionIntake intake;
    private final AuditRecorder audit;
    private final AuditFeed feed;
    private final Duration appliedWait;

    /**
     * @param sessions    a caching connection factory on the broker (transacted sessions are reused)
     * @param appliedWait how long the answer waits for the registry to show the receipt (so that the partner's next
     *                    question sees it); past it the answer is still given, the record is durable on the broker
     */
    public IntakeQueue(ConnectionFactory sessions, SubmissionIntake intake, AuditRecorder audit, AuditFeed feed,
                       Duration appliedWait) {
        this.sessions = sessions;
        this.intake = intake;
        this.audit = audit;
        this.feed = feed;
        this.appliedWait = appliedWait;
    }

    public IntakeAnswer enqueue(IntakeContext ctx) {
        Receipt r = ctx.receipt();
        StepRecord step = new StepRecord()
                .audit(ctx.receivedRecord())
                .audit(audit.acceptedRecord(r.partnerId(), r.submissionId(), r.receiptId(), ctx.envelopeDigest()))
                .change(new RegistryChange.Accepted(r));
        AuditFeed.Applied applied = feed.expect(step.id());
        try {
            try {
                commit(ctx, step);
            } catch (JMSException | IOException e) {
                applied.cancel();
                if (isDuplicate(e)) {
                    return intake.queuedBefore(ctx, appliedWait.multipliedBy(2));
                }
                intake.notQueued(ctx);
                LOG.warn("a submission could not be queued: {}", rootCause(e));
                throw new HubException(ErrorCode.UNAVAILABLE, "The hub could not store the submission durably.", e);
            }
            // the claim on the submission id is held until the registry shows the receipt, so a copy that waited on
            // it finds the receipt there; the place in the admission bound too: the broker counts a committed message
            // on its queue only once the store's callback has run, and the step's own record, committed after it in
            // the same transaction, has reached the feed by then (released in done())
            applied.await(appliedWait);
        } finally {
            ctx.done();
        }
        LOG.info("accepted submission {} from {}, receipt {}", r.submissionId(), r.partnerId(), r.receiptId());
        return new IntakeAnswer(r, false);
    }

    private void commit(IntakeContext ctx, StepRecord step) throws JMSException, IOException {
        Receipt r = ctx.receipt();
        try (Connection c = sessions.createConnection();
             Session s = c.createSession(true, Session.SESSION_TRANSACTED);
             MessageProducer producer = s.createProducer(null);
             InputStream body = ctx.sealed().open()) {
            BytesMessage m = s.createBytesMessage();
            m.setStringProperty(QueueNames.PARTNER_ID, r.partnerId());
            m.setStringProperty(QueueNames.SUBMISSION_ID, r.submissionId());
            m.setStringProperty(QueueNames.RECEIPT_ID, r.receiptId());
            m.setStringProperty(QueueNames.RECEIVED_AT, r.receivedAt().toString());
            m.setStringProperty(QueueNames.CONTENT_DIGEST, ctx.contentDigest());
            m.setStringProperty(QueueNames.ENVELOPE_DIGEST, ctx.envelopeDigest());
            if (ctx.handedOff().sealed() != null) {
                m.setStringProperty(QueueNames.HAND_OFF_KEY, ctx.handedOff().keyId());
                m.setStringProperty(QueueNames.HAND_OFF, ctx.handedOff().sealed());
            }
            m.setStringProperty(QueueNames.DUPLICATE_ID, QueueNames.intakeDuplicateId(r.partnerId(), r.submissionId()));
            MessageBodies.write(m, body, ctx.sealed().size());
            producer.send(INTAKE, m);
            AuditOutbox.send(s, producer, step);
            s.commit();
        }
    }

    /** Artemis refuses a transaction holding a message whose duplicate id it has seen, naming it so. */
    static boolean isDuplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getSimpleName().contains("DuplicateId")
                    || (t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("duplicate"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // from the broker or the JVM, never from the submission's content
        return root.getClass().getName() + ": " + root.getMessage();
    }
}
