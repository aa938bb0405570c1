package org.safeguarding.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.settings.HubSettings;

/** The embedded broker on a real journal: durable, secured, and never dropping a message after its last attempt. */
class EmbeddedBrokerTest {
    @TempDir
    Path dir;
    EmbeddedBroker broker;
    final List<String> refusals = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = newBroker();
        broker.start();
    }

    EmbeddedBroker newBroker() {
        return new EmbeddedBroker(new HubSettings.Broker(dir, 0, 0, 2, Duration.ZERO, Duration.ZERO),
                Set.of("police-fib", "mash-bpl"), Set.of("police-fib", "mash-bpl")::contains,
                (who, what) -> refusals.add(who + ": " + what));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    void send(String queue, String id) throws Exception {
        send(queue, id, new byte[] {1, 2, 3});
    }

    void send(String queue, String id, byte[] body) throws Exception {
        try (Connection c = broker.connectionFactory().createConnection();
             Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(queue));
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(body);
            m.setStringProperty(QueueNames.PACKAGE_ID, id);
            p.send(m);
        }
    }

    @Test
    void everyRecipientHasADurableInbox() {
        assertThat(broker.messageCount(QueueNames.inbox("police-fib"))).isZero();
        assertThat(broker.messageCount(QueueNames.inbox("mash-bpl"))).isZero();
        assertThat(broker.messageCount(QueueNames.INTAKE)).isZero();
        assertThat(broker.messageCount(QueueNames.DEAD_LETTER)).isZero();
        assertThat(broker.messageCount(QueueNames.inbox("nobody"))).isEqualTo(-1);
    }

    @Test
    void aMessageThatFailsEveryAttemptGoesToTheDeadLetterQueue() throws Exception {
        send(QueueNames.INTAKE, "11111111-1111-1111-1111-111111111111");
        try (Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QueueNames.INTAKE));
            for (int attempt = 0; attempt < 2; attempt++) {
                Message m = consumer.receive(5000);
                assertThat(m).as("attempt " + attempt).isNotNull();
                s.rollback();
            }
            assertThat(consumer.receiveNoWait()).isNull();
            MessageConsumer dlq = s.createConsumer(s.createQueue(QueueNames.DEAD_LETTER));
            Message dead = dlq.receive(5000);
            assertThat(dead).isNotNull();
            assertThat(dead.getStringProperty(QueueNames.PACKAGE_ID)).isEqualTo("11111111-1111-1111-1111-111111111111");
            s.commit();
        }
    }

    @Test
    void aSentMessageSurvivesARestart() throws Exception {
        send(QueueNames.inbox("police-fib"), "22222222-2222-2222-2222-222222222222");
        broker.close();
        broker = newBroker();
        broker.start();

        assertThat(broker.messageCount(QueueNames.inbox("police-fib"))).isEqualTo(1);
        assertThat(new BrokerInbox(broker.connectionFactory(), Duration.ofMillis(500)).fetch("police-fib",
                "22222222-2222-2222-2222-222222222222", new ByteArrayOutputStream())).isTrue();
    }

    @Test
    void duplicateDetectionDropsAReplayedPackage() throws Exception {
        try (Connection c = broker.connectionFactory().createConnection();
             Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(QueueNames.inbox("mash-bpl")));
            for (int i = 0; i < 2; i++) {
                BytesMessage m = s.createBytesMessage();
                m.setStringProperty(QueueNames.DUPLICATE_ID, QueueNames.packageDuplicateId("p", "s", "mash-bpl"));
                p.send(m);
            }
        }
        assertThat(broker.messageCount(QueueNames.inbox("mash-bpl"))).isEqualTo(1);
    }

    @Test
    void nobodyGetsInWithoutTheHubsSecretOrACertificate() {
        ActiveMQConnectionFactory guess = new ActiveMQConnectionFactory(broker.inVmUrl(), "hub", "guess");
        assertThatThrownBy(() -> guess.createConnection().close()).isInstanceOf(JMSSecurityException.class);
        assertThat(refusals).isNotEmpty();
    }

    @Test
    void theInboxListsFetchesAndAcknowledgesByPackageId() throws Exception {
        BrokerInbox inbox = new BrokerInbox(broker.connectionFactory(), Duration.ofMillis(500));
        send(QueueNames.inbox("police-fib"), "33333333-3333-3333-3333-333333333333");
        send(QueueNames.inbox("police-fib"), "44444444-4444-4444-4444-444444444444");

        ByteArrayOutputStream fetched = new ByteArrayOutputStream();
        assertThat(inbox.fetch("police-fib", "44444444-4444-4444-4444-444444444444", fetched)).isTrue();
        assertThat(fetched.toByteArray()).containsExactly(1, 2, 3);
        ByteArrayOutputStream nothing = new ByteArrayOutputStream();
        assertThat(inbox.fetch("mash-bpl", "44444444-4444-4444-4444-444444444444", nothing)).isFalse();
        assertThat(inbox.fetch("police-fib", "' OR 1=1 OR packageId='x", nothing)).isFalse();
        assertThat(nothing.size()).isZero();
        assertThat(inbox.acknowledge("mash-bpl", "44444444-4444-4444-4444-444444444444")).isEmpty();
        assertThat(inbox.acknowledge("police-fib", "44444444-4444-4444-4444-444444444444")).isPresent();
        assertThat(inbox.acknowledge("police-fib", "44444444-4444-4444-4444-444444444444")).isEmpty();
        assertThat(broker.messageCount(QueueNames.inbox("police-fib"))).isEqualTo(1);
        assertThat(inbox.fetch("police-fib", "33333333-3333-3333-3333-333333333333", new ByteArrayOutputStream()))
                .isTrue();
    }

    @Test
    void aLargePackageIsFetchedWholeAsTheBrokerStreamsIt() throws Exception {
        // over Artemis's 100 KiB threshold, so the broker keeps and delivers it as a large message, in chunks
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(body);
        send(QueueNames.inbox("police-fib"), "55555555-5555-5555-5555-555555555555", body);
        BrokerInbox inbox = new BrokerInbox(broker.connectionFactory(), Duration.ofMillis(500));

        ByteArrayOutputStream fetched = new ByteArrayOutputStream();
        assertThat(inbox.fetch("police-fib", "55555555-5555-5555-5555-555555555555", fetched)).isTrue();

        assertThat(fetched.toByteArray()).isEqualTo(body);
        assertThat(inbox.acknowledge("police-fib", "55555555-5555-5555-5555-555555555555"))
                .hasValueSatisfying(e -> assertThat(e.size()).isEqualTo(body.length));
    }

    @Test
    void aFetchThatCannotWriteFailsAndLeavesThePackageInTheInbox() throws Exception {
        send(QueueNames.inbox("police-fib"), "66666666-6666-6666-6666-666666666666", new byte[200 * 1024]);
        BrokerInbox inbox = new BrokerInbox(broker.connectionFactory(), Duration.ofMillis(500));
        java.io.OutputStream broken = new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("disk full");
            }
        };

        assertThatThrownBy(() -> inbox.fetch("police-fib", "66666666-6666-6666-6666-666666666666", broken))
                .hasRootCauseMessage("disk full");
        assertThat(broker.messageCount(QueueNames.inbox("police-fib"))).isEqualTo(1);
        assertThat(inbox.fetch("police-fib", "66666666-6666-6666-6666-666666666666", new ByteArrayOutputStream()))
                .isTrue();
    }
}
