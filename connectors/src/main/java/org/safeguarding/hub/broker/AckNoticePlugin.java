package org.safeguarding.hub.broker;

import java.time.Clock;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQInternalErrorException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.impl.AckReason;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.core.transaction.impl.TransactionImpl;

/**
 * On a standalone broker of the hub's: a recipient's own consume of a package from its {@code intel.<id>} (a NORMAL
 * acknowledgement, by a session whose user is that recipient, over AMQP or CORE) routes a content-free notice to
 * {@link QueueNames#ACKS} inside the consume's own transaction: the consume and its notice commit together or not at
 * all. The notice has no body; its properties are the recipient, package id, submission id, protocol and the broker's
 * time. A hub node's {@link AckNoticeFeed} turns it into the acknowledgement's step record. The hub's own consumes (the
 * HTTPS {@code ack}, expiry, recalls) are the hub user's and record themselves. Configured in {@code broker.xml}'s
 * {@code <broker-plugins>}; no properties.
 */
public final class AckNoticePlugin implements ActiveMQServerPlugin {
    private final Clock clock;
    private volatile ActiveMQServer server;

    public AckNoticePlugin() {
        this(Clock.systemUTC());
    }

    AckNoticePlugin(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void registered(ActiveMQServer server) {
        this.server = server;
    }

    @Override
    public void messageAcknowledged(Transaction tx, MessageReference ref, AckReason reason, ServerConsumer consumer)
            throws ActiveMQException {
        if (reason != AckReason.NORMAL || consumer == null || ref.getQueue() == null) {
            return;
        }
        String queue = ref.getQueue().getName().toString();
        String protocol = RemoteAckPlugin.protocol(consumer);
        if (!queue.startsWith(QueueNames.INBOX_PREFIX) || protocol == null) {
            return;
        }
        String recipient = queue.substring(QueueNames.INBOX_PREFIX.length());
        ActiveMQServer s = server;
        ServerSession session = s == null ? null : s.getSessionByID(consumer.getSessionID());
        if (session == null || !recipient.equals(session.getValidatedUser())) {
            return; // the hub's own consume
        }
        Message m = ref.getMessage();
        Object packageId = m.getObjectProperty(QueueNames.PACKAGE_ID);
        if (packageId == null) {
            return;
        }
        Object submissionId = m.getObjectProperty(QueueNames.SUBMISSION_ID);
        CoreMessage notice = new CoreMessage(s.getStorageManager().generateID(), 512);
        notice.setAddress(SimpleString.of(QueueNames.ACKS));
        notice.setDurable(true);
        notice.putStringProperty(QueueNames.RECIPIENT, recipient);
        notice.putStringProperty(QueueNames.PACKAGE_ID, packageId.toString());
        if (submissionId != null) {
            notice.putStringProperty(QueueNames.SUBMISSION_ID, submissionId.toString());
        }
        notice.putStringProperty(QueueNames.PROTOCOL, protocol);
        notice.putLongProperty(QueueNames.ACKED_AT, clock.millis());
        try {
            if (tx != null) {
                s.getPostOffice().route(notice, tx, false); // committed with the consume
                return;
            }
            Transaction own = new TransactionImpl(s.getStorageManager());
            s.getPostOffice().route(notice, own, false);
            own.commit();
        } catch (ActiveMQException e) {
            throw e;
        } catch (Exception e) {
            throw new ActiveMQInternalErrorException("the acknowledgement notice could not be routed: "
                    + e.getMessage(), e);
        }
    }
}
