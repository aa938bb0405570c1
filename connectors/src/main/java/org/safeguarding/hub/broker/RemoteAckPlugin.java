package org.safeguarding.hub.broker;

import java.util.Locale;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.impl.AckReason;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.core.transaction.impl.TransactionImpl;
import org.apache.activemq.artemis.api.core.ActiveMQInternalErrorException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.server.ActiveMQServer;

/**
 * Turns a recipient's own consume of a package (over AMQP or CORE, from outside the hub) into an
 * acknowledgement, exactly as the HTTPS {@code ack} is one. Only normal acknowledgements on an
 * {@code intel.*} inbox count (not expiry, not a management delete), and only from a network
 * consumer: the HTTPS ack consumes in-VM and records itself. The acknowledgement's record goes to the audit queue in
 * the consume's own transaction.
 */
final class RemoteAckPlugin implements ActiveMQServerMessagePlugin {
    private final InboxAckListener listener;
    private volatile ActiveMQServer server;

    RemoteAckPlugin(InboxAckListener listener) {
        this.listener = listener;
    }

    @Override
    public void messageAcknowledged(Transaction tx, MessageReference ref, AckReason reason, ServerConsumer consumer)
            throws ActiveMQException {
        if (reason != AckReason.NORMAL || consumer == null || ref.getQueue() == null) {
            return;
        }
        String queue = ref.getQueue().getName().toString();
        String protocol = protocol(consumer);
        if (!queue.startsWith(QueueNames.INBOX_PREFIX) || protocol == null) {
            return;
        }
        String recipient = queue.substring(QueueNames.INBOX_PREFIX.length());
        Message m = ref.getMessage();
        String packageId = string(m, QueueNames.PACKAGE_ID);
        String submissionId = string(m, QueueNames.SUBMISSION_ID);
        if (packageId == null) {
            return;
        }
        InboxAckListener.AckRecord record = listener.acknowledged(recipient, packageId, submissionId, protocol);
        if (record == null) {
            return;
        }
        if (tx != null) {
            route(record, tx); // committed with the consume: one transaction, one journal sync
            return;
        }
        Transaction own = new TransactionImpl(server().getStorageManager());
        route(record, own);
        try {
            own.commit();
        } catch (ActiveMQException e) {
            throw e;
        } catch (Exception e) {
            throw new ActiveMQInternalErrorException("the acknowledgement could not be recorded: " + e.getMessage(), e);
        }
    }

    @Override
    public void registered(ActiveMQServer server) {
        this.server = server;
    }

    private ActiveMQServer server() {
        ActiveMQServer s = server;
        if (s == null) {
            throw new IllegalStateException("the acknowledgement plugin is not registered with a broker");
        }
        return s;
    }

    /** The record as a durable bytes message on the audit queue, routed inside {@code tx}. */
    private void route(InboxAckListener.AckRecord record, Transaction tx) throws ActiveMQException {
        ActiveMQServer s = server();
        CoreMessage m = new CoreMessage(s.getStorageManager().generateID(), record.body().length + 256);
        m.setAddress(SimpleString.of(QueueNames.AUDIT));
        m.setDurable(true);
        m.setType(Message.BYTES_TYPE);
        m.getBodyBuffer().writeBytes(record.body());
        m.putStringProperty(QueueNames.STEP_ID, record.stepId());
        try {
            s.getPostOffice().route(m, tx, false);
        } catch (ActiveMQException e) {
            throw e;
        } catch (Exception e) {
            throw new ActiveMQInternalErrorException("the acknowledgement could not be recorded: " + e.getMessage(), e);
        }
    }

    /** {@code amqp} or {@code core} for a network consumer; null for the hub's own in-VM consumers. */
    static String protocol(ServerConsumer consumer) {
        String remote = consumer.getConnectionRemoteAddress();
        if (remote == null || remote.startsWith("invm")) {
            return null;
        }
        String name = consumer.getConnectionProtocolName();
        return name == null ? null : name.toLowerCase(Locale.ROOT);
    }

    private static String string(Message m, String property) {
        Object v = m.getObjectProperty(property);
        return v == null ? null : v.toString();
    }
}
