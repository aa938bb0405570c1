package org.safeguarding.hub.broker;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * A recipient's inbox is its durable queue {@code intel.<id>}: fetching reads one message by package id without
 * consuming it, and acknowledging consumes that message, so the HTTPS inbox and a recipient's own AMQP consumer see
 * the same packages. Listing and counting are not done here: the submission registry indexes every package delivered,
 * and a queue browser, which stops when its buffer runs dry, cannot give a complete list of a deep queue.
 *
 * <p>Both operations look for one message with a selector on its package id. A selector that matches nothing is only
 * known after a wait, so a caller asks its index first and comes here for packages it knows to be pending; the waits
 * are bounded.
 */
public final class BrokerInbox {
    private static final Pattern PACKAGE_ID = Pattern.compile("[0-9a-fA-F-]{36}");
    /** How long a fetch or an acknowledgement waits for the broker to find the package before it counts as not there. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

    private final ConnectionFactory connectionFactory;
    private final long waitMillis;

    public BrokerInbox(ConnectionFactory connectionFactory) {
        this(connectionFactory, DEFAULT_WAIT);
    }

    /** @param wait how long to wait for the broker to find a package on a deep queue before answering "not there" */
    public BrokerInbox(ConnectionFactory connectionFactory, Duration wait) {
        this.connectionFactory = connectionFactory;
        this.waitMillis = Math.max(1, wait.toMillis());
    }

    /**
     * Writes the sealed package into {@code out} as the broker streams it (a large package is never one array in
     * memory), if it is still in this recipient's inbox; false, with nothing written, if it is not.
     *
     * <p>The message is read by a browse-only consumer with a selector on the package id, which the broker serves
     * by walking the whole queue; unlike a JMS {@code QueueBrowser}, which gives up at the first empty buffer, it
     * waits (bounded) for the broker to reach the message. Nothing is received and rolled back, so a fetch never
     * counts as a delivery attempt (a package fetched many times is never dead-lettered for it).
     */
    public boolean fetch(String recipientId, String packageId, OutputStream out) throws IOException {
        if (!PACKAGE_ID.matcher(packageId).matches()) {
            return false;
        }
        try {
            return withSession(false, session -> {
                ClientSession core = ((ActiveMQSession) session).getCoreSession();
                try (ClientConsumer browser = core.createConsumer(SimpleString.of(QueueNames.inbox(recipientId)),
                        SimpleString.of(selector(packageId)), true)) {
                    ClientMessage m = browser.receiveImmediate();
                    if (m == null) {
                        m = browser.receive(waitMillis);
                    }
                    if (m == null) {
                        return false;
                    }
                    if (!packageId.equals(m.getStringProperty(QueueNames.PACKAGE_ID))) {
                        throw new HubException(ErrorCode.INTERNAL, "The broker answered with another package.");
                    }
                    try {
                        m.saveToOutputStream(out);
                    } catch (ActiveMQException e) {
                        // the cause is the stream's own failure when writing failed (a full disk)
                        throw new UncheckedIOException(new IOException("the package could not be saved", e));
                    }
                    return true;
                } catch (ActiveMQException e) {
                    JMSException j = new JMSException("the inbox could not be read: " + e.getType());
                    j.setLinkedException(e);
                    throw j;
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Removes the package from the inbox; empty if it was not there. */
    public Optional<InboxEntry> acknowledge(String recipientId, String packageId) {
        return acknowledge(recipientId, packageId, (entry, session) -> { });
    }

    /**
     * Removes the package from the inbox, running {@code beforeCommit} (recording the acknowledgement) inside the same
     * broker transaction, with its session: if the step fails, the package stays. Empty if the package was not there.
     *
     * <p>A consumer with a selector on the package id takes it: the broker walks the whole queue for it, however deep,
     * and the receive waits (bounded) until it is found. Should anything other than that package arrive, the
     * transaction is rolled back and nothing is taken.
     */
    public Optional<InboxEntry> acknowledge(String recipientId, String packageId, InboxAckStep beforeCommit) {
        if (!PACKAGE_ID.matcher(packageId).matches()) {
            return Optional.empty();
        }
        return withSession(true, session -> {
            Queue q = queue(session, recipientId);
            try (MessageConsumer consumer = session.createConsumer(q, selector(packageId))) {
                Message m = consumer.receive(waitMillis);
                if (m == null || !packageId.equals(m.getStringProperty(QueueNames.PACKAGE_ID))) {
                    session.rollback();
                    return Optional.empty();
                }
                InboxEntry entry = entry(m);
                try {
                    beforeCommit.run(entry, session);
                } catch (JMSException | RuntimeException e) {
                    session.rollback();
                    throw e;
                }
                session.commit();
                return Optional.of(entry);
            }
        });
    }

    private static String selector(String packageId) {
        return QueueNames.PACKAGE_ID + " = '" + packageId + "'";
    }

    private static Queue queue(Session session, String recipientId) throws JMSException {
        return session.createQueue(QueueNames.inbox(recipientId));
    }

    static InboxEntry entry(Message m) throws JMSException {
        String categories = m.getStringProperty(QueueNames.CATEGORIES);
        long size = m instanceof BytesMessage b ? b.getBodyLength() : 0;
        return new InboxEntry(m.getStringProperty(QueueNames.PACKAGE_ID), m.getStringProperty(QueueNames.SUBMISSION_ID),
                m.getStringProperty(QueueNames.ROUTED_AT),
                categories == null || categories.isEmpty() ? List.of() : Arrays.asList(categories.split(",")), size);
    }

    private interface SessionWork<T> {
        T run(Session session) throws JMSException;
    }

    /** One broker transaction's work, given a way to take packages out of inboxes in that same transaction. */
    public interface TransactedStep<T> {
        T run(Session session, Taker taker) throws JMSException;
    }

    /** Takes packages by id inside the step's transaction. */
    public interface Taker {
        /** The package taken from the recipient's inbox (consumed when the step commits); empty if it was not there. */
        Optional<InboxEntry> take(String recipientId, String packageId) throws JMSException;
    }

    /**
     * Runs {@code step} in one broker transaction, committed when it returns and rolled back if it throws: whatever
     * it takes from inboxes and whatever it sends commit together, or not at all.
     */
    public <T> T transacted(TransactedStep<T> step) {
        return withSession(true, session -> {
            Taker taker = (recipientId, packageId) -> {
                if (!PACKAGE_ID.matcher(packageId).matches()) {
                    return Optional.empty();
                }
                try (MessageConsumer consumer = session.createConsumer(queue(session, recipientId), selector(packageId))) {
                    Message m = consumer.receive(waitMillis);
                    if (m == null) {
                        return Optional.empty();
                    }
                    if (!packageId.equals(m.getStringProperty(QueueNames.PACKAGE_ID))) {
                        throw new IllegalStateException("the inbox gave another package than the one selected");
                    }
                    return Optional.of(entry(m));
                }
            };
            try {
                T result = step.run(session, taker);
                session.commit();
                return result;
            } catch (JMSException | RuntimeException | Error e) {
                try {
                    session.rollback();
                } catch (JMSException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        });
    }

    private <T> T withSession(boolean transacted, SessionWork<T> work) {
        try (Connection c = connectionFactory.createConnection()) {
            c.start();
            try (Session s = c.createSession(transacted, transacted ? Session.SESSION_TRANSACTED : Session.AUTO_ACKNOWLEDGE)) {
                return work.run(s);
            }
        } catch (JMSException e) {
            throw new HubException(ErrorCode.UNAVAILABLE, "The inbox is not reachable now.", e);
        }
    }
}
