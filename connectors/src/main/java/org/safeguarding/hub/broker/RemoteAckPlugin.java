package org.safeguarding.hub.broker;

import java.util.Locale;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.impl.AckReason;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.core.transaction.TransactionOperationAbstract;

/**
 * Turns a recipient's own consume of a package (over AMQP or CORE, from outside the hub) into an
 * acknowledgement, exactly as the HTTPS {@code ack} is one. Only normal acknowledgements on an
 * {@code intel.*} inbox count (not expiry, not a management delete), and only from a network
 * consumer: the HTTPS ack consumes in-VM and records itself.
 */
final class RemoteAckPlugin implements ActiveMQServerMessagePlugin {
    private final InboxAckListener listener;

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
        if (tx == null) {
            listener.acknowledged(recipient, packageId, submissionId, protocol);
            return;
        }
        // Recorded inside the consume's transaction, as the HTTPS ack is: if recording fails, the package stays.
        tx.addOperation(new TransactionOperationAbstract() {
            @Override
            public void beforeCommit(Transaction t) {
                listener.acknowledged(recipient, packageId, submissionId, protocol);
            }
        });
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
