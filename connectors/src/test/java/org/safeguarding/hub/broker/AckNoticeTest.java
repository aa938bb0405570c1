package org.safeguarding.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * On a standalone broker node: a recipient's own consume of a package puts a content-free notice on {@code hub.acks} in
 * the consume's transaction (a rolled-back consume leaves none), the hub's own consume none; a hub node's
 * {@link AckNoticeFeed} turns each notice into the step record on {@code hub.audit} in one local transaction with the
 * notice's consume, so a failure leaves the notice to be tried again and nothing is recorded twice.
 */
class AckNoticeTest {
    @TempDir
    Path dir;
    StandaloneBrokers brokers;
    BrokerNode node;
    ExternalBroker hub;

    @BeforeEach
    void start() throws Exception {
        TestPki pki = TestPki.createIn(dir.resolve("pki"), List.of("hub", "police-fib", "mash-bpl"),
                KeyAlgorithm.EC_P256, Clock.systemUTC());
        brokers = new StandaloneBrokers(pki, dir, 3600);
        node = BrokerNode.start(brokers.config.liveDirectory());
        hub = brokers.hub(brokers.hubPassword(), Set.of("police-fib", "mash-bpl"));
        hub.start();
        hub.publishParticipants(List.of("police-fib", "mash-bpl"));
    }

    @AfterEach
    void stop() {
        hub.close();
        node.close();
    }

    long waiting(String queue) {
        return node.server().locateQueue(SimpleString.of(queue)).getMessageCount();
    }

    void deliver(String recipient, String packageId) throws Exception {
        try (Connection c = hub.connectionFactory().createConnection();
             Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
            BytesMessage m = s.createBytesMessage();
            m.writeBytes("sealed".getBytes(StandardCharsets.UTF_8));
            m.setStringProperty(QueueNames.PACKAGE_ID, packageId);
            m.setStringProperty(QueueNames.SUBMISSION_ID, "sub-" + packageId);
            s.createProducer(s.createQueue(QueueNames.inbox(recipient))).send(m);
            s.commit();
        }
    }

    @Test
    void aConsumeRolledBackLeavesNoNoticeAndACommittedOneLeavesExactlyOne() throws Exception {
        deliver("police-fib", "pkg-1");
        try (Connection c = brokers.coreToLive("police-fib").createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer inbox = s.createConsumer(s.createQueue(QueueNames.inbox("police-fib")));
            assertThat(inbox.receive(5000)).isNotNull();
            s.rollback();
            assertThat(waiting(QueueNames.ACKS)).as("no notice of a consume rolled back").isZero();
            assertThat(waiting(QueueNames.inbox("police-fib"))).isEqualTo(1);

            assertThat(inbox.receive(5000)).isNotNull();
            s.commit();
        }
        assertThat(waiting(QueueNames.ACKS)).isEqualTo(1);
        assertThat(waiting(QueueNames.inbox("police-fib"))).isZero();
        try (Connection c = hub.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message notice = s.createConsumer(s.createQueue(QueueNames.ACKS)).receive(5000);
            assertThat(notice.getStringProperty(QueueNames.RECIPIENT)).isEqualTo("police-fib");
            assertThat(notice.getStringProperty(QueueNames.PACKAGE_ID)).isEqualTo("pkg-1");
            assertThat(notice.getStringProperty(QueueNames.SUBMISSION_ID)).isEqualTo("sub-pkg-1");
            assertThat(notice.getStringProperty(QueueNames.PROTOCOL)).isEqualTo("core");
            assertThat(notice.getLongProperty(QueueNames.ACKED_AT)).isPositive();
            assertThat(notice).as("no content").isNotInstanceOfAny(BytesMessage.class, jakarta.jms.TextMessage.class,
                    jakarta.jms.ObjectMessage.class, jakarta.jms.MapMessage.class, jakarta.jms.StreamMessage.class);
        }
    }

    @Test
    void anAmqpConsumeIsNoticedAndTheHubsOwnConsumeIsNot() throws Exception {
        deliver("mash-bpl", "pkg-amqp");
        deliver("police-fib", "pkg-https");
        try (Connection c = brokers.amqpFailover("mash-bpl").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue(QueueNames.inbox("mash-bpl"))).receive(10_000);
            assertThat(m).isNotNull();
            m.acknowledge();
        }
        try (Connection c = hub.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            assertThat(s.createConsumer(s.createQueue(QueueNames.inbox("police-fib"))).receive(5000)).isNotNull();
            s.commit(); // as the HTTPS ack does: it records itself
        }
        Await.until("the AMQP consume's notice", Duration.ofSeconds(10), () -> waiting(QueueNames.ACKS) == 1);
        try (Connection c = hub.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message notice = s.createConsumer(s.createQueue(QueueNames.ACKS)).receive(5000);
            assertThat(notice.getStringProperty(QueueNames.PACKAGE_ID)).isEqualTo("pkg-amqp");
            assertThat(notice.getStringProperty(QueueNames.PROTOCOL)).isEqualTo("amqp");
        }
        assertThat(waiting(QueueNames.ACKS)).as("none for the hub's own consume").isZero();
    }

    @Test
    void theFeedRecordsEachNoticeOnceInOneTransactionWithItsConsume() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger(1);
        InboxAckListener listener = (recipient, packageId, submissionId, protocol) -> {
            asked.add(recipient + "|" + packageId + "|" + submissionId + "|" + protocol);
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("the first attempt fails");
            }
            return new InboxAckListener.AckRecord("ack:" + packageId,
                    ("acknowledged " + packageId).getBytes(StandardCharsets.UTF_8));
        };
        deliver("police-fib", "pkg-7");
        try (AckNoticeFeed feed = AckNoticeFeed.start(hub.connectionFactory(), listener)) {
            try (Connection c = brokers.coreToLive("police-fib").createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                assertThat(s.createConsumer(s.createQueue(QueueNames.inbox("police-fib"))).receive(5000)).isNotNull();
            }
            Await.until("the step record on the audit queue", Duration.ofSeconds(15),
                    () -> waiting(QueueNames.AUDIT) == 1 && waiting(QueueNames.ACKS) == 0);
        }
        assertThat(asked).as("tried again after the failure").containsExactly("police-fib|pkg-7|sub-pkg-7|core",
                "police-fib|pkg-7|sub-pkg-7|core");
        assertThat(waiting(QueueNames.AUDIT)).isEqualTo(1);
        try (Connection c = hub.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage record = (BytesMessage) s.createConsumer(s.createQueue(QueueNames.AUDIT)).receive(5000);
            assertThat(record.getStringProperty(QueueNames.STEP_ID)).isEqualTo("ack:pkg-7");
            byte[] body = new byte[(int) record.getBodyLength()];
            record.readBytes(body);
            assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("acknowledged pkg-7");
        }
    }
}
