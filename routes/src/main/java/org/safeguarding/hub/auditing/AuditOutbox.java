package org.safeguarding.hub.auditing;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * Puts a step's {@link StepRecord} on the broker's audit queue: inside the caller's transacted session, so that it
 * commits with the step's other messages, or in a transaction of its own for a step that sends nothing else.
 */
public final class AuditOutbox {
    private static final jakarta.jms.Queue AUDIT = ActiveMQJMSClient.createQueue(QueueNames.AUDIT);

    private final ConnectionFactory sessions;
    private final AuditFeed feed;

    /**
     * @param sessions a caching connection factory for steps without a transaction of their own
     * @param feed     the feed that applies what is sent, for callers that wait for it
     */
    public AuditOutbox(ConnectionFactory sessions, AuditFeed feed) {
        this.sessions = sessions;
        this.feed = feed;
    }

    /** Sends the record in {@code session}'s transaction; the caller commits (or rolls back) it with its other sends. */
    public static void send(Session session, StepRecord step) throws JMSException {
        try (MessageProducer producer = session.createProducer(AUDIT)) {
            send(session, producer, step);
        }
    }

    /** The record as the audit queue's message body carries it (for a step the broker itself commits). */
    public static byte[] body(StepRecord step) {
        return OutboxCodec.encode(step);
    }

    /** As {@link #send(Session, StepRecord)}, with a producer the caller keeps. */
    public static void send(Session session, MessageProducer anyDestination, StepRecord step) throws JMSException {
        BytesMessage m = session.createBytesMessage();
        m.writeBytes(OutboxCodec.encode(step));
        m.setStringProperty(QueueNames.STEP_ID, step.id());
        if (anyDestination.getDestination() == null) {
            anyDestination.send(AUDIT, m);
        } else {
            anyDestination.send(m);
        }
    }

    /**
     * Commits the record alone, durably (the broker's journal is synced), then waits up to {@code applied} for the
     * feed to apply it; {@code UNAVAILABLE} when the broker did not take it.
     */
    public void commit(StepRecord step, Duration applied) {
        AuditFeed.Applied waiting = applied.isZero() ? null : feed.expect(step.id());
        try (Connection c = sessions.createConnection();
             Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
            send(s, step);
            s.commit();
        } catch (JMSException e) {
            if (waiting != null) {
                waiting.cancel();
            }
            throw new HubException(ErrorCode.UNAVAILABLE, "The hub could not record the step durably.", e);
        }
        if (waiting != null) {
            waiting.await(applied);
        }
    }

    public AuditFeed feed() {
        return feed;
    }
}
