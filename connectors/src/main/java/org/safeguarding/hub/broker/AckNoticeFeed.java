package org.safeguarding.hub.broker;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a hub node with an external broker pair: takes each acknowledgement notice from {@link QueueNames#ACKS} (routed
 * there by the brokers' {@link AckNoticePlugin} in the recipient's consume), asks the {@link InboxAckListener} for the
 * acknowledgement's step record (the same one the embedded broker's {@link RemoteAckPlugin} records) and sends it to
 * {@link QueueNames#AUDIT}: the send and the notice's consume commit in ONE local transacted JMS session, so a crash
 * replays the notice and the step record's id (derived from the package id) and its audit key make the replay add
 * nothing. Every hub node may run one; they compete for the notices. A notice the listener records nothing for is
 * consumed all the same.
 */
public final class AckNoticeFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AckNoticeFeed.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ConnectionFactory connectionFactory;
    private final InboxAckListener listener;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    private AckNoticeFeed(ConnectionFactory connectionFactory, InboxAckListener listener) {
        this.connectionFactory = connectionFactory;
        this.listener = listener;
        this.thread = new Thread(this::run, "ack-notices");
        this.thread.setDaemon(true);
    }

    public static AckNoticeFeed start(ConnectionFactory connectionFactory, InboxAckListener listener) {
        AckNoticeFeed feed = new AckNoticeFeed(connectionFactory, listener);
        feed.thread.start();
        return feed;
    }

    private void run() {
        while (running) {
            try (Connection c = connectionFactory.createConnection()) {
                connection = c;
                Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer notices = s.createConsumer(s.createQueue(QueueNames.ACKS));
                MessageProducer audit = s.createProducer(s.createQueue(QueueNames.AUDIT));
                audit.setDeliveryMode(DeliveryMode.PERSISTENT);
                c.start();
                while (running) {
                    Message notice = notices.receive(POLL.toMillis());
                    if (notice == null) {
                        continue;
                    }
                    try {
                        record(notice, s, audit);
                        s.commit();
                    } catch (JMSException | RuntimeException e) {
                        LOG.warn("an acknowledgement notice was not recorded, it is tried again: {}", e.toString());
                        rollbackQuietly(s);
                    }
                }
            } catch (JMSException | RuntimeException e) {
                if (running) {
                    LOG.warn("acknowledgement notices: the broker connection failed, connecting again: {}",
                            e.toString());
                    pause();
                }
            } finally {
                connection = null;
            }
        }
    }

    /** The step record of one notice, sent on {@code session} (not yet committed). */
    private void record(Message notice, Session session, MessageProducer audit) throws JMSException {
        String recipient = notice.getStringProperty(QueueNames.RECIPIENT);
        String packageId = notice.getStringProperty(QueueNames.PACKAGE_ID);
        if (recipient == null || packageId == null) {
            LOG.warn("an acknowledgement notice without recipient or package id was dropped");
            return;
        }
        InboxAckListener.AckRecord record = listener.acknowledged(recipient, packageId,
                notice.getStringProperty(QueueNames.SUBMISSION_ID), notice.getStringProperty(QueueNames.PROTOCOL));
        if (record == null) {
            return;
        }
        BytesMessage m = session.createBytesMessage();
        m.writeBytes(record.body());
        m.setStringProperty(QueueNames.STEP_ID, record.stepId());
        audit.send(m);
    }

    private static void rollbackQuietly(Session s) {
        try {
            s.rollback();
        } catch (JMSException e) {
            // the broker rolls back an unfinished transaction of a lost session itself
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(POLL.multipliedBy(4).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection c = connection;
        if (thread.isAlive() && c != null) {
            try {
                c.close();
            } catch (JMSException ignored) {
                // stopping
            }
        }
    }
}
