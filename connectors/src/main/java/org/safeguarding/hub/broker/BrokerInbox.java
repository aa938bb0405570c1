package org.safeguarding.hub.broker;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * A recipient's inbox is its durable queue {@code intel.<id>}: listing browses it, fetching
 * browses one message by package id, and acknowledging consumes that message, so the HTTPS
 * inbox and a recipient's own AMQP consumer see the same packages.
 */
public final class BrokerInbox {
    private static final Pattern PACKAGE_ID = Pattern.compile("[0-9a-fA-F-]{36}");
    private static final long RECEIVE_TIMEOUT_MS = 5_000;

    private final ConnectionFactory connectionFactory;

    public BrokerInbox(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    public List<InboxEntry> list(String recipientId) {
        return withSession(false, session -> {
            List<InboxEntry> entries = new ArrayList<>();
            try (QueueBrowser browser = session.createBrowser(queue(session, recipientId))) {
                Enumeration<?> e = browser.getEnumeration();
                while (e.hasMoreElements()) {
                    Message m = (Message) e.nextElement();
                    entries.add(entry(m));
                }
            }
            return entries;
        });
    }

    /**
     * Writes the sealed package into {@code out} as the broker streams it (a large package is never one array in
     * memory), if it is still in this recipient's inbox; false, with nothing written, if it is not.
     */
    public boolean fetch(String recipientId, String packageId, OutputStream out) throws IOException {
        if (!PACKAGE_ID.matcher(packageId).matches()) {
            return false;
        }
        try {
            return withSession(false, session -> {
                try (QueueBrowser browser = session.createBrowser(queue(session, recipientId), selector(packageId))) {
                    Enumeration<?> e = browser.getEnumeration();
                    if (!e.hasMoreElements()) {
                        return false;
                    }
                    if (!(e.nextElement() instanceof BytesMessage m)) {
                        throw new HubException(ErrorCode.INTERNAL, "The package is not a bytes message.");
                    }
                    try {
                        MessageBodies.save(m, out);
                    } catch (IOException io) {
                        throw new UncheckedIOException(io);
                    }
                    return true;
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Removes the package from the inbox; empty if it was not there. */
    public Optional<InboxEntry> acknowledge(String recipientId, String packageId) {
        return acknowledge(recipientId, packageId, taken -> { });
    }

    /**
     * Removes the package from the inbox, running {@code beforeCommit} (recording the
     * acknowledgement) inside the same broker transaction: if it fails, the package stays.
     */
    public Optional<InboxEntry> acknowledge(String recipientId, String packageId,
                                            java.util.function.Consumer<InboxEntry> beforeCommit) {
        if (!PACKAGE_ID.matcher(packageId).matches()) {
            return Optional.empty();
        }
        return withSession(true, session -> {
            Queue q = queue(session, recipientId);
            // Only take a message that is there: a browse first avoids waiting on an empty selector.
            try (QueueBrowser browser = session.createBrowser(q, selector(packageId))) {
                if (!browser.getEnumeration().hasMoreElements()) {
                    return Optional.empty();
                }
            }
            try (MessageConsumer consumer = session.createConsumer(q, selector(packageId))) {
                Message m = consumer.receive(RECEIVE_TIMEOUT_MS);
                if (m == null) {
                    session.rollback();
                    return Optional.empty();
                }
                InboxEntry entry = entry(m);
                try {
                    beforeCommit.accept(entry);
                } catch (RuntimeException e) {
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
