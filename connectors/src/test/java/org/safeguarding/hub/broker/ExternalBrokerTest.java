package org.safeguarding.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.TestClock;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The hub's client of an external broker (a standalone node in this JVM): queue depth and age from management, kept
 * for a second of the injected clock (intake admission asks at every submission); inboxes created idempotently, also
 * for a recipient added later; the published participants one last-value message; nothing to sweep on the hub side.
 */
class ExternalBrokerTest {
    @TempDir
    Path dir;
    StandaloneBrokers brokers;
    BrokerNode node;
    ExternalBroker hub;
    final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        brokers = new StandaloneBrokers(TestPki.ec(), dir, 3600);
        node = BrokerNode.start(brokers.config.liveDirectory());
        TestPki pki = TestPki.ec();
        FileTrustMaterial trust = new FileTrustMaterial(pki.caPem(), pki.crl());
        hub = new ExternalBroker(brokers.hubSettings(), brokers.hubPassword(), new BrokerTls(pki.identity("hub"),
                trust.anchors(), pki.crl(), new TrustValidator(trust).tlsTrustManager(Clock.systemUTC())),
                dir.resolve("hub-tls"), Set.of("police-fib"), clock);
        hub.start();
    }

    @AfterEach
    void stop() {
        hub.close();
        node.close();
    }

    void send(String queue) throws Exception {
        try (Connection c = hub.connectionFactory().createConnection();
             Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            Message m = s.createBytesMessage();
            s.createProducer(s.createQueue(queue)).send(m);
        }
    }

    @Test
    void depthAndAgeComeFromManagementAndAreKeptForASecond() throws Exception {
        assertThat(hub.messageCount(QueueNames.INTAKE)).isZero();
        long before = System.currentTimeMillis();
        send(QueueNames.INTAKE);
        assertThat(hub.messageCount(QueueNames.INTAKE)).as("the answer of a moment ago").isZero();
        clock.advance(Duration.ofMillis(ExternalBroker.CACHE_MILLIS));
        assertThat(hub.messageCount(QueueNames.INTAKE)).isEqualTo(1);
        long age = hub.oldestMessageAgeMillis(QueueNames.INTAKE, before + 5_000);
        assertThat(age).as("from the message's broker timestamp").isBetween(0L, 5_000L);
        assertThat(hub.oldestMessageAgeMillis(QueueNames.QUARANTINE, before)).as("empty").isZero();
        assertThat(hub.messageCount("hub.nothing")).isEqualTo(-1);
    }

    @Test
    void inboxesAreCreatedOnceAndARecipientAddedLaterGetsOne() {
        assertThat(hub.recipients()).containsExactly("police-fib");
        hub.ensureInbox("police-fib");
        hub.ensureInbox("mash-bpl");
        hub.ensureInbox("mash-bpl");
        assertThat(node.server().locateQueue(SimpleString.of(QueueNames.inbox("mash-bpl")))).isNotNull();
        assertThat(hub.recipients()).containsExactlyInAnyOrder("police-fib", "mash-bpl");
        assertThatThrownBy(() -> hub.ensureInbox("#")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theParticipantsAreOneLastValueMessageReadByTheBroker() {
        hub.publishParticipants(List.of("police-fib", "mash-bpl"));
        hub.publishParticipants(List.of("police-fib"));
        assertThat(node.server().locateQueue(SimpleString.of(QueueNames.PARTICIPANTS)).getMessageCount()).isEqualTo(1);
        ParticipantSecurityManager sm = (ParticipantSecurityManager) node.server().getSecurityManager();
        assertThat(sm.participants().refresh()).containsExactly("police-fib");
        assertThat(hub.closeUntrustedConnections()).as("the brokers sweep themselves").isZero();
        assertThat(hub.amqpPort()).isEqualTo(-1);
        assertThat(hub.corePort()).isEqualTo(-1);
    }
}
