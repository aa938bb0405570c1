package org.safeguarding.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
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
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;

/**
 * The broker's TLS handshake and each new session ask the hub's own trust check, which re-reads the CRL. A recipient
 * revoked while the hub runs can no longer connect or open a session, and a consumer of it that stays connected is cut
 * off by the sweep, with a refusal reported each time; a recipient in good standing is left alone. Real sockets, a
 * PKI of its own.
 */
class BrokerRevocationTest {
    @TempDir
    Path dir;
    TestPki pki;
    Path trustStore;
    EmbeddedBroker broker;
    final List<String> refusals = new CopyOnWriteArrayList<>();
    final Set<String> participants = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws Exception {
        pki = TestPki.createIn(dir.resolve("pki"), List.of("hub", "police-fib", "mash-bpl"), KeyAlgorithm.EC_P256,
                Clock.systemUTC());
        trustStore = TlsAcceptorTest.trustStore(pki, dir);
        participants.addAll(List.of("police-fib", "mash-bpl"));
        broker = new EmbeddedBroker(new HubSettings.Broker(dir.resolve("broker"), 0, 0, 2, Duration.ZERO,
                Duration.ZERO), Set.of("police-fib", "mash-bpl"), participants::contains,
                (who, what) -> refusals.add(who + ": " + what), TlsAcceptorTest.brokerTls(pki), null);
        broker.start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    Connection connect(String participant) throws JMSException {
        Connection c = TlsAcceptorTest.coreClient(pki, trustStore, broker.corePort(), participant).createConnection();
        c.start();
        return c;
    }

    @Test
    void aRevokedRecipientIsRefusedAndItsOpenConnectionIsClosed() throws Exception {
        AtomicReference<JMSException> lost = new AtomicReference<>();
        try (Connection fib = connect("police-fib"); Connection bpl = connect("mash-bpl")) {
            fib.setExceptionListener(lost::set);
            Session fibSession = fib.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = fibSession.createConsumer(fibSession.createQueue(QueueNames.inbox("police-fib")));
            Session bplSession = bpl.createSession(false, Session.AUTO_ACKNOWLEDGE);
            bplSession.createConsumer(bplSession.createQueue(QueueNames.inbox("mash-bpl"))).close();
            assertThat(broker.closeUntrustedConnections()).as("nobody revoked yet").isZero();

            DemoPki.revoke(pki.dir(), Pem.readCertificate(pki.cert("police-fib")), Clock.systemUTC());

            assertThat(broker.closeUntrustedConnections()).as("the revoked consumer's connection").isEqualTo(1);
            TlsAcceptorTest.await(() -> lost.get() != null);
            // the client reports the loss to the listener before it closes the connection's sessions, on its own thread
            TlsAcceptorTest.await(() -> refuses(consumer::receiveNoWait));
            assertThatThrownBy(() -> fib.createSession(false, Session.AUTO_ACKNOWLEDGE)).isInstanceOf(JMSException.class);
            assertThat(refusals).anySatisfy(r -> assertThat(r).startsWith("police-fib: connection closed")
                    .contains("revoked"));
            assertThatThrownBy(() -> connect("police-fib").close()).as("a new connection after the revocation")
                    .isInstanceOf(JMSException.class);
            assertThat(refusals).as("refused in the handshake now").contains(
                    "unknown: TLS handshake: client certificate not trusted (revoked)");
            // mash-bpl, in good standing, keeps its connection through a sweep and may open sessions
            broker.closeUntrustedConnections();
            bpl.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
        }
    }

    interface JmsCall {
        Object call() throws JMSException;
    }

    static boolean refuses(JmsCall call) {
        try {
            call.call();
            return false;
        } catch (JMSException closed) {
            return true;
        }
    }

    @Test
    void aRecipientThatLeftThePartnershipLosesItsConnection() throws Exception {
        try (Connection bpl = connect("mash-bpl")) {
            Session session = bpl.createSession(false, Session.AUTO_ACKNOWLEDGE);
            participants.remove("mash-bpl");

            assertThat(broker.closeUntrustedConnections()).isEqualTo(1);

            assertThatThrownBy(() -> session.createConsumer(session.createQueue(QueueNames.inbox("mash-bpl"))))
                    .isInstanceOf(JMSException.class);
            assertThat(refusals).anySatisfy(r -> assertThat(r).isEqualTo("mash-bpl: connection closed: not a participant"));
        }
    }

    @Test
    void whileTheCrlFileIsUnreadableOpenConnectionsStayAndNewSessionsWait() throws Exception {
        byte[] whole = java.nio.file.Files.readAllBytes(pki.crl());
        try (Connection bpl = connect("mash-bpl")) {
            java.nio.file.Files.write(pki.crl(), java.util.Arrays.copyOf(whole, whole.length / 2)); // caught mid-rewrite

            assertThat(broker.closeUntrustedConnections()).as("no verdict on open connections").isZero();
            assertThatThrownBy(() -> bpl.createSession(false, Session.AUTO_ACKNOWLEDGE))
                    .as("but no new session without a readable CRL").isInstanceOf(JMSException.class);
            assertThat(refusals).anySatisfy(r -> assertThat(r).isEqualTo("mash-bpl: trust material unavailable now"));

            java.nio.file.Files.write(pki.crl(), whole);
            bpl.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
        }
    }
}
