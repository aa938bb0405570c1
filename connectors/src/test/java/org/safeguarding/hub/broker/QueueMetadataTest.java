package org.safeguarding.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;

/**
 * Over CORE/TLS, nobody but a recipient learns anything of its inbox: another recipient, the board and a partner asking
 * for {@code intel.police-fib} (queue query, address query, browser, consumer, management) are refused exactly as for a
 * queue that does not exist, and every refusal is reported; police-fib's own queries keep working.
 */
class QueueMetadataTest {
    static TestPki pki;
    static Path trustStore;
    static final String POLICE = QueueNames.inbox("police-fib");

    @TempDir
    Path dir;
    EmbeddedBroker broker;
    final List<BrokerRefusal> refusals = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void pki(@TempDir Path tmp) throws Exception {
        pki = TestPki.ec();
        trustStore = TlsAcceptorTest.trustStore(pki, tmp);
    }

    @BeforeEach
    void start() throws Exception {
        Set<String> participants = Set.of("police-fib", "mash-bpl", "board", "lancs-police");
        broker = new EmbeddedBroker(new HubSettings.Broker(dir, 0, 0, 2, Duration.ZERO, Duration.ZERO),
                Set.of("police-fib", "mash-bpl"), participants::contains, new BrokerAccessListener() {
                    @Override
                    public void refused(String who, String what) {
                        throw new AssertionError("the broker reports a refusal whole");
                    }

                    @Override
                    public void refused(BrokerRefusal refusal) {
                        refusals.add(refusal);
                    }
                },
                TlsAcceptorTest.brokerTls(pki), InboxAckListener.NONE);
        broker.start();
        try (Connection c = broker.connectionFactory().createConnection();
             Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(POLICE));
            for (int i = 0; i < 3; i++) {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(new byte[] {1});
                p.send(m);
            }
        }
        // a durable send returns once stored; the queue counts the message a moment later, when the store's callback ran
        org.safeguarding.hub.crypto.testing.Await.until("the three packages to be on the queue",
                java.time.Duration.ofSeconds(10), () -> broker.messageCount(POLICE) == 3);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** A raw CORE session over TLS as {@code participant}. */
    ClientSession session(String participant) throws Exception {
        ServerLocator locator = ActiveMQClient.createServerLocator("tcp://localhost:" + broker.corePort()
                + "?sslEnabled=true&keyStorePath=" + pki.p12(participant) + "&keyStorePassword=" + TestPki.PASSWORD
                + "&keyStoreType=PKCS12&trustStorePath=" + trustStore + "&trustStorePassword=" + TestPki.PASSWORD
                + "&trustStoreType=PKCS12&reconnectAttempts=0&initialConnectAttempts=1&callTimeout=5000"
                + "&blockOnNonDurableSend=true&blockOnDurableSend=true");
        ClientSessionFactory sf = locator.createSessionFactory();
        ClientSession s = sf.createSession();
        s.addMetaData("test", "closes-with-factory");
        closeables.add(() -> {
            s.close();
            sf.close();
            locator.close();
        });
        return s;
    }

    final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeSessions() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    /** What a query answers, or the kind of error it gets: the same for another's inbox and a queue that is not there. */
    static String answer(ThrowingSupplier<Object> query) {
        try {
            return String.valueOf(query.get());
        } catch (ActiveMQException e) {
            return "refused:" + e.getType();
        } catch (Exception e) {
            return "failed:" + e.getClass().getSimpleName();
        }
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    static String queueQuery(ClientSession s, String name) {
        return answer(() -> {
            ClientSession.QueueQuery q = s.queueQuery(SimpleString.of(name));
            return "exists=" + q.isExists() + " messages=" + q.getMessageCount() + " consumers=" + q.getConsumerCount();
        });
    }

    static String addressQuery(ClientSession s, String name) {
        return answer(() -> {
            ClientSession.AddressQuery q = s.addressQuery(SimpleString.of(name));
            return "exists=" + q.isExists() + " queues=" + q.getQueueNames();
        });
    }

    @Test
    void anotherRecipientTheBoardAndAPartnerLearnNothingOfAnInboxAndAreReported() throws Exception {
        for (String who : List.of("mash-bpl", "board", "lancs-police")) {
            ClientSession s = session(who);
            String other = queueQuery(s, POLICE);
            assertThat(other).as(who + " asking for police-fib's queue").doesNotContain("exists=true")
                    .isEqualTo(queueQuery(s, QueueNames.inbox("no-such-recipient")));
            assertThat(addressQuery(s, POLICE)).as(who + " asking for police-fib's address")
                    .doesNotContain("exists=true").isEqualTo(addressQuery(s, QueueNames.inbox("no-such-recipient")));
            assertThat(queueQuery(s, QueueNames.INTAKE)).as(who + " asking for the hub's intake")
                    .doesNotContain("exists=true");
            assertThat(refusals).as("reported for " + who).anySatisfy(r -> {
                assertThat(r.who()).isEqualTo(who);
                assertThat(r.what()).contains(POLICE);
                assertThat(r.peer()).isEqualTo("127.0.0.1");
                assertThat(r.certificateSha256()).matches("[0-9a-f]{64}");
            });
        }
    }

    @Test
    void aRecipientsOwnInboxStillAnswersIt() throws Exception {
        ClientSession s = session("police-fib");
        assertThat(queueQuery(s, POLICE)).isEqualTo("exists=true messages=3 consumers=0");
        assertThat(addressQuery(s, POLICE)).startsWith("exists=true");
        assertThat(refusals).isEmpty();
        // and its own JMS browser still sees its packages
        try (Connection c = TlsAcceptorTest.coreClient(pki, trustStore, broker.corePort(), "police-fib")
                .createConnection()) {
            c.start();
            Session js = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser b = js.createBrowser(js.createQueue(POLICE));
            assertThat(java.util.Collections.list(b.getEnumeration())).hasSize(3);
        }
    }

    @Test
    void aConsumerOrBrowserOnAnothersInboxFailsAsOnAQueueThatIsNotThere() throws Exception {
        ClientSession s = session("mash-bpl");
        String consumeOther = answer(() -> s.createConsumer(POLICE));
        String consumeMissing = answer(() -> s.createConsumer(QueueNames.inbox("no-such-recipient")));
        assertThat(consumeOther).startsWith("refused:").isEqualTo(consumeMissing);
        String browseOther = answer(() -> s.createConsumer(POLICE, true));
        assertThat(browseOther).startsWith("refused:").isEqualTo(answer(() -> s.createConsumer("no-such", true)));

        try (Connection c = TlsAcceptorTest.coreClient(pki, trustStore, broker.corePort(), "mash-bpl")
                .createConnection()) {
            c.start();
            Session js = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Throwable other = catchThrowable(() -> js.createBrowser(js.createQueue(POLICE)).getEnumeration());
            Throwable missing = catchThrowable(() -> js.createBrowser(js.createQueue("intel.no-such")).getEnumeration());
            assertThat(other).isNotNull();
            assertThat(other.getClass()).isEqualTo(missing.getClass());
        }
        assertThat(refusals).anySatisfy(r -> assertThat(r.what()).contains(POLICE));
        assertThat(broker.messageCount(POLICE)).isEqualTo(3);
    }

    @Test
    void theManagementAddressAnswersNoParticipant() throws Exception {
        ClientSession s = session("mash-bpl");
        // a reply queue of its own is refused already (no participant creates queues) ...
        assertThat(answer(() -> new ClientRequestor(s, "activemq.management"))).isEqualTo("refused:SECURITY_EXCEPTION");
        // ... and so is the management request itself
        ClientMessage m = s.createMessage(false);
        ManagementHelper.putAttribute(m, "queue." + POLICE, "messageCount");
        Throwable t = catchThrowable(() -> s.createProducer("activemq.management").send(m));
        assertThat(t).isInstanceOf(ActiveMQSecurityException.class);
        assertThat(queueQuery(s, "activemq.management")).doesNotContain("exists=true");
        assertThat(refusals).anySatisfy(r -> {
            assertThat(r.who()).isEqualTo("mash-bpl");
            assertThat(r.what()).isEqualTo("MANAGE on activemq.management");
        });
    }

    @Test
    void theHubItselfStillSeesEveryQueue() throws Exception {
        assertThat(broker.messageCount(POLICE)).isEqualTo(3);
        try (Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session js = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThat(java.util.Collections.list(js.createBrowser(js.createQueue(POLICE)).getEnumeration()))
                    .hasSize(3);
        }
        assertThat(refusals).isEmpty();
    }
}
