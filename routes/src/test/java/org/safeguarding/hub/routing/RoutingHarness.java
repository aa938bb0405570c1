package org.safeguarding.hub.routing;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.safeguarding.hub.broker.EmbeddedBroker;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.testing.RealParts;

/**
 * Routing on real parts: an embedded broker on a journal in a temporary directory (redelivery
 * without delay, three attempts), the real router, and a Camel context holding exactly the
 * routing route and its error policy, wired as the application wires them.
 */
final class RoutingHarness implements AutoCloseable {
    static final int MAX_DELIVERY_ATTEMPTS = 3;

    final RealParts parts;
    final EmbeddedBroker broker;
    final CamelContext camel;

    RoutingHarness(Path dir, RealParts parts, SubmissionRouter router) throws Exception {
        this.parts = parts;
        List<String> recipients = parts.partnership.partnership().participants().stream()
                .filter(p -> p.hasRole(Role.RECIPIENT)).map(Participant::id).toList();
        broker = new EmbeddedBroker(new HubSettings.Broker(dir.resolve("broker"), 0, 0, MAX_DELIVERY_ATTEMPTS,
                Duration.ZERO, Duration.ZERO), recipients, id -> true, (who, what) -> { });
        broker.start();
        camel = new DefaultCamelContext();
        // as HubApplication: a local broker transaction per consumed message, producers join it
        JmsComponent jms = JmsComponent.jmsComponentTransacted(broker.connectionFactory());
        jms.setLazyCreateTransactionManager(false);
        jms.setCacheLevelName("CACHE_CONSUMER");
        jms.setDeliveryPersistent(true);
        camel.addComponent("jms", jms);
        camel.addRoutes(new RoutingErrorPolicy(router));
        camel.addRoutes(new RoutingRoute(router, 1));
    }

    /** What intake puts on the queue: the sealed bytes and the receipt as properties. */
    record Queued(String partnerId, String submissionId, String receiptId, Instant receivedAt, byte[] sealed) {
        static Queued of(String partnerId, String submissionId, Instant receivedAt, byte[] sealed) {
            return new Queued(partnerId, submissionId, UUID.randomUUID().toString(), receivedAt, sealed);
        }
    }

    /** Puts a submission on the intake queue; {@code duplicateId} null sends it without one. */
    void enqueue(Queued q, String duplicateId) throws Exception {
        try (Connection c = broker.connectionFactory().createConnection();
             Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(QueueNames.INTAKE));
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(q.sealed());
            m.setStringProperty(QueueNames.PARTNER_ID, q.partnerId());
            m.setStringProperty(QueueNames.SUBMISSION_ID, q.submissionId());
            m.setStringProperty(QueueNames.RECEIPT_ID, q.receiptId());
            m.setStringProperty(QueueNames.RECEIVED_AT, q.receivedAt().toString());
            if (duplicateId != null) {
                m.setStringProperty(QueueNames.DUPLICATE_ID, duplicateId);
            }
            p.send(m);
        }
    }

    void enqueue(Queued q) throws Exception {
        enqueue(q, QueueNames.intakeDuplicateId(q.partnerId(), q.submissionId()));
    }

    /** Takes every message off a queue (consuming them), for inspection. */
    List<Message> drain(String queue) throws Exception {
        List<Message> out = new ArrayList<>();
        try (Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            Message m;
            while ((m = consumer.receive(500)) != null) {
                out.add(m);
            }
        }
        return out;
    }

    long count(String queue) {
        return broker.messageCount(queue);
    }

    @Override
    public void close() {
        try {
            camel.close();
        } catch (Exception e) {
            // closing a test context
        } finally {
            broker.close();
        }
    }
}
