package org.safeguarding.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.DemoPki;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.error.HubException;

/**
 * A standalone broker node of the hub's, as {@code ./hub broker} runs it from the generated pair configuration, with
 * the plugin classes: the hub node logs in with its user, password and certificate and may do anything; a participant
 * is its certificate's CN, must have been published by the hub, and may consume and browse its own inbox only; a
 * revoked certificate is refused at the next session and its open connection closed by the sweep, as is the
 * connection of a participant that left. Real TLS, a PKI of its own, the node in this JVM.
 */
class ParticipantSecurityManagerTest {
    @TempDir
    Path dir;
    TestPki pki;
    StandaloneBrokers brokers;
    BrokerNode node;
    ExternalBroker hub;
    final List<String> refusals = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        pki = TestPki.createIn(dir.resolve("pki"), List.of("hub", "police-fib", "mash-bpl", "lancs-police"),
                KeyAlgorithm.EC_P256, Clock.systemUTC());
        brokers = new StandaloneBrokers(pki, dir, 3600);
        node = BrokerNode.start(brokers.config.liveDirectory());
        security().addListener((who, what) -> refusals.add(who + ": " + what));
        hub = brokers.hub(brokers.hubPassword(), Set.of("police-fib", "mash-bpl"));
        hub.start();
        hub.publishParticipants(List.of("police-fib", "mash-bpl", "lancs-police"));
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        node.close();
    }

    ParticipantSecurityManager security() {
        return (ParticipantSecurityManager) node.server().getSecurityManager();
    }

    ParticipantSweepPlugin sweep() {
        return node.server().getBrokerPlugins().stream().filter(ParticipantSweepPlugin.class::isInstance)
                .map(ParticipantSweepPlugin.class::cast).findFirst().orElseThrow();
    }

    Connection connect(String participant) throws JMSException {
        Connection c = brokers.coreToLive(participant).createConnection();
        c.start();
        return c;
    }

    void deliver(String recipient, String packageId) throws JMSException {
        try (Connection c = hub.connectionFactory().createConnection();
             Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
            Message m = s.createBytesMessage();
            m.setStringProperty(QueueNames.PACKAGE_ID, packageId);
            s.createProducer(s.createQueue(QueueNames.inbox(recipient))).send(m);
            s.commit();
        }
    }

    @Test
    void theHubNodeMayDoAnythingAndSeesItsQueuesThroughManagement() throws Exception {
        assertThat(hub.isActive()).isTrue();
        assertThat(node.server().locateQueue(QueueNames.inbox("police-fib"))).as("created by the hub").isNotNull();
        hub.ensureInbox("police-fib"); // again: nothing happens
        deliver("police-fib", "pkg-1");
        assertThat(Await.value("the inbox's depth through management", Duration.ofSeconds(5),
                () -> hub.messageCount(QueueNames.inbox("police-fib")), n -> n == 1)).isEqualTo(1);
        assertThat(hub.messageCount("intel.nobody")).as("no such queue").isEqualTo(-1);
        assertThat(node.server().locateQueue(QueueNames.AUDIT).isExclusive()).as("one audit feed at a time").isTrue();
    }

    @Test
    void aWrongHubPasswordIsRefusedAndNotLogged() {
        ExternalBroker wrong = brokers.hub("not-the-password", Set.of());
        assertThatThrownBy(wrong::start).isInstanceOf(HubException.class);
        wrong.close();
        assertThat(refusals).contains("hub-node: hub user: wrong password");
        assertThat(String.join("\n", refusals)).doesNotContain("not-the-password");
    }

    @Test
    void aParticipantMayConsumeAndBrowseItsOwnInboxOnly() throws Exception {
        deliver("police-fib", "pkg-own");
        try (Connection fib = connect("police-fib")) {
            Session s = fib.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThat(s.createBrowser(s.createQueue(QueueNames.inbox("police-fib"))).getEnumeration().hasMoreElements())
                    .isTrue();
            MessageConsumer own = s.createConsumer(s.createQueue(QueueNames.inbox("police-fib")));
            assertThat(own.receive(5000)).isNotNull();
            assertThatThrownBy(() -> s.createConsumer(s.createQueue(QueueNames.inbox("mash-bpl"))))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> s.createProducer(s.createQueue(QueueNames.INTAKE)).send(s.createTextMessage()))
                    .isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> s.createConsumer(s.createQueue(QueueNames.AUDIT)))
                    .isInstanceOf(JMSSecurityException.class);
            // its own inbox passes the session guard; sending to it is still not a recipient's to do
            assertThatThrownBy(() -> s.createProducer(s.createQueue(QueueNames.inbox("police-fib")))
                    .send(s.createTextMessage())).isInstanceOf(JMSException.class);
        }
        assertThat(refusals).contains("police-fib: QUERY on intel.mash-bpl", "police-fib: QUERY on hub.intake",
                "police-fib: QUERY on hub.audit");
        assertThat(refusals).anySatisfy(r -> assertThat(r).startsWith("police-fib: SEND on intel.police-fib"));
    }

    @Test
    void aParticipantTheHubDidNotPublishIsRefused() throws Exception {
        hub.publishParticipants(List.of("police-fib", "mash-bpl"));
        security().participants().refresh();
        assertThatThrownBy(() -> connect("lancs-police").createSession(false, Session.AUTO_ACKNOWLEDGE))
                .isInstanceOf(JMSException.class);
        assertThat(refusals).contains("lancs-police: not a participant");
    }

    @Test
    void aRevokedCertificateIsRefusedAtTheNextSessionAndItsConnectionClosedByTheSweep() throws Exception {
        AtomicReference<JMSException> lost = new AtomicReference<>();
        try (Connection fib = connect("police-fib"); Connection bpl = connect("mash-bpl")) {
            fib.setExceptionListener(lost::set);
            Session fibSession = fib.createSession(false, Session.AUTO_ACKNOWLEDGE);
            fibSession.createConsumer(fibSession.createQueue(QueueNames.inbox("police-fib")));
            Session bplSession = bpl.createSession(false, Session.AUTO_ACKNOWLEDGE);
            bplSession.createConsumer(bplSession.createQueue(QueueNames.inbox("mash-bpl")));
            assertThat(sweep().sweep()).as("nobody revoked yet; the hub's own connections never swept").isZero();

            DemoPki.revoke(pki.dir(), Pem.readCertificate(pki.cert("police-fib")), Clock.systemUTC());

            assertThatThrownBy(() -> fib.createSession(false, Session.AUTO_ACKNOWLEDGE))
                    .as("a new session after the revocation").isInstanceOf(JMSException.class);
            assertThat(sweep().sweep()).as("the revoked consumer's connection").isEqualTo(1);
            Await.until("the revoked client told of its closed connection", Duration.ofSeconds(10),
                    () -> lost.get() != null);
            assertThat(refusals).anySatisfy(r -> assertThat(r).startsWith("police-fib: connection closed")
                    .contains("revoked"));
            assertThat(sweep().sweep()).as("mash-bpl in good standing").isZero();
            bpl.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
            assertThat(hub.isActive()).isTrue();
        }
    }

    @Test
    void aParticipantThatLeftLosesItsConnectionAtTheNextSweep() throws Exception {
        try (Connection bpl = connect("mash-bpl")) {
            Session s = bpl.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue(QueueNames.inbox("mash-bpl")));
            hub.publishParticipants(List.of("police-fib", "lancs-police"));

            assertThat(sweep().sweep()).isEqualTo(1);

            assertThatThrownBy(() -> s.createConsumer(s.createQueue(QueueNames.inbox("mash-bpl"))))
                    .isInstanceOf(JMSException.class);
            assertThat(refusals).contains("mash-bpl: connection closed: not a participant");
        }
    }

    @Test
    void theConfigurationHoldsNoSecret() throws Exception {
        String xml = Files.readString(brokers.config.liveDirectory().resolve("broker.xml"))
                + Files.readString(brokers.config.liveDirectory().resolve("bootstrap.xml"));
        assertThat(xml).doesNotContain(brokers.hubPassword())
                .doesNotContain(Files.readString(brokers.config.liveDirectory().resolve("secrets/cluster.password"))
                        .strip())
                .doesNotContain(Files.readString(brokers.config.liveDirectory().resolve("secrets/keystore.password"))
                        .strip())
                .contains("ENC(").contains("pbkdf2-sha256:");
    }
}
