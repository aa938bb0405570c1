package org.safeguarding.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;

/**
 * The broker's TLS listener for recipients' own CORE consumers, on real sockets: a recipient's
 * certificate is its broker user, it may take packages from its own inbox only, consuming one
 * is reported as an acknowledgement (and the hub's in-VM consume is not), and no certificate
 * means no connection.
 */
class TlsAcceptorTest {
    static TestPki pki;
    static Path trustStore;

    @TempDir
    Path dir;
    EmbeddedBroker broker;
    final List<String> refusals = new CopyOnWriteArrayList<>();
    final List<String> acks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void pki(@TempDir Path tmp) throws Exception {
        pki = TestPki.ec();
        trustStore = trustStore(pki, tmp);
    }

    /** A client's PKCS#12 trust store holding {@code pki}'s CA. */
    static Path trustStore(TestPki pki, Path dir) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", new FileTrustMaterial(pki.caPem(), null).anchors().get(0));
        Path file = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            ts.store(out, TestPki.PASSWORD.toCharArray());
        }
        return file;
    }

    /** The broker's TLS material from {@code pki}, with the hub's live trust check on the same files. */
    static BrokerTls brokerTls(TestPki pki) {
        FileTrustMaterial trust = new FileTrustMaterial(pki.caPem(), pki.crl());
        return new BrokerTls(pki.identity("hub"), trust.anchors(), pki.crl(),
                new TrustValidator(trust).tlsTrustManager(Clock.systemUTC()));
    }

    @BeforeEach
    void start() {
        broker = new EmbeddedBroker(new HubSettings.Broker(dir, 0, 0, 2, Duration.ZERO, Duration.ZERO),
                Set.of("police-fib", "mash-bpl"), Set.of("police-fib", "mash-bpl")::contains,
                (who, what) -> refusals.add(who + ": " + what), brokerTls(pki),
                (recipient, packageId, submissionId, protocol) -> {
                    acks.add(recipient + "|" + packageId + "|" + submissionId + "|" + protocol);
                    return new InboxAckListener.AckRecord("step-" + packageId,
                            ("acknowledged " + packageId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                });
        broker.start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    ActiveMQConnectionFactory coreClient(String participant) {
        return coreClient(pki, trustStore, broker.corePort(), participant);
    }

    /** A CORE client over TLS to {@code port}, as {@code participant} (null: without a certificate). */
    static ActiveMQConnectionFactory coreClient(TestPki pki, Path trustStore, int port, String participant) {
        String keyStore = participant == null ? ""
                : "&keyStorePath=" + pki.p12(participant) + "&keyStorePassword=" + TestPki.PASSWORD
                        + "&keyStoreType=PKCS12";
        return new ActiveMQConnectionFactory("tcp://localhost:" + port + "?sslEnabled=true"
                + keyStore + "&trustStorePath=" + trustStore + "&trustStorePassword=" + TestPki.PASSWORD
                + "&trustStoreType=PKCS12&reconnectAttempts=0&initialConnectAttempts=1&callTimeout=5000");
    }

    void send(String recipient, String packageId) throws Exception {
        try (Connection c = broker.connectionFactory().createConnection();
             Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(QueueNames.inbox(recipient)));
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(new byte[] {4, 5, 6});
            m.setStringProperty(QueueNames.PACKAGE_ID, packageId);
            m.setStringProperty(QueueNames.SUBMISSION_ID, "sub-1");
            p.send(m);
        }
    }

    @Test
    void bothListenersAreOnFreePortsAndOff() {
        assertThat(broker.amqpPort()).isPositive();
        assertThat(broker.corePort()).isPositive().isNotEqualTo(broker.amqpPort());
        EmbeddedBroker inVmOnly = new EmbeddedBroker(new HubSettings.Broker(dir.resolve("other"), 0, 0, 2,
                Duration.ZERO, Duration.ZERO), Set.of(), id -> false, BrokerAccessListener.NONE);
        try (inVmOnly) {
            inVmOnly.start();
            assertThat(inVmOnly.amqpPort()).isEqualTo(-1);
            assertThat(inVmOnly.corePort()).isEqualTo(-1);
        }
    }

    @Test
    void theAcceptorsAreTlsOnlyWithAClientCertificateAndTheCrl() {
        var amqp = broker.tlsParams(broker.amqpPort(), "AMQP");
        assertThat(amqp).containsEntry("sslEnabled", true).containsEntry("needClientAuth", true)
                .containsEntry("enabledProtocols", "TLSv1.3,TLSv1.2").containsEntry("protocols", "AMQP")
                .containsEntry("enabledCipherSuites", String.join(",", org.safeguarding.hub.http.TlsMaterial.CIPHER_SUITES))
                .containsEntry("crlPath", pki.crl().toString()).containsEntry("keyStoreType", "PKCS12");
    }

    @Test
    void bothAcceptorsOfferAeadSuitesOnly() {
        for (int port : new int[] {broker.amqpPort(), broker.corePort()}) {
            for (String cbc : org.safeguarding.hub.http.TlsProbe.TLS12_CBC_ECDSA) {
                assertThat(org.safeguarding.hub.http.TlsProbe.tls12(port, pki, "police-fib", cbc))
                        .as("TLS 1.2 " + cbc + " on " + port).isNull();
            }
            for (String aead : org.safeguarding.hub.http.TlsProbe.TLS12_AEAD_ECDSA) {
                assertThat(org.safeguarding.hub.http.TlsProbe.tls12(port, pki, "police-fib", aead))
                        .as("TLS 1.2 " + aead + " on " + port).isEqualTo(aead);
            }
            assertThat(org.safeguarding.hub.http.TlsProbe.tls13(port, pki, "police-fib", "TLS_AES_128_GCM_SHA256"))
                    .isEqualTo("TLS_AES_128_GCM_SHA256");
        }
    }

    @Test
    void theKeyStoresAreTheOwnersOnlyAndGoAtStop() throws Exception {
        Path keys = dir.resolve("tls/broker-key.p12");
        assertThat(keys).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls"))))
                .isEqualTo("rwx------");
        broker.close();
        assertThat(keys).doesNotExist();
        assertThat(dir.resolve("tls/broker-trust.p12")).doesNotExist();
    }

    @Test
    void aRecipientConsumesItsOwnPackageOverCoreAndThatIsItsAcknowledgement() throws Exception {
        send("police-fib", "55555555-5555-5555-5555-555555555555");
        try (Connection c = coreClient("police-fib").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QueueNames.inbox("police-fib")));
            Message m = consumer.receive(10_000);
            assertThat(m).isNotNull();
            assertThat(m.getStringProperty(QueueNames.PACKAGE_ID)).isEqualTo("55555555-5555-5555-5555-555555555555");
            assertThat(m.getBody(byte[].class)).containsExactly(4, 5, 6);
        }
        await(() -> !acks.isEmpty());
        assertThat(acks).containsExactly("police-fib|55555555-5555-5555-5555-555555555555|sub-1|core");
        assertThat(broker.messageCount(QueueNames.inbox("police-fib"))).isZero();
    }

    @Test
    void theAcknowledgementsRecordCommitsWithTheConsumeAndOnlyWithIt() throws Exception {
        String packageId = "58585858-5858-5858-5858-585858585858";
        send("police-fib", packageId);
        try (Connection c = coreClient("police-fib").createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QueueNames.inbox("police-fib")));
            assertThat(consumer.receive(10_000)).isNotNull();
            s.rollback(); // a consume that does not commit records nothing
            assertThat(broker.messageCount(QueueNames.AUDIT)).isZero();
            assertThat(broker.messageCount(QueueNames.inbox("police-fib"))).isEqualTo(1);

            assertThat(consumer.receive(10_000)).isNotNull();
            s.commit();
        }
        assertThat(broker.messageCount(QueueNames.inbox("police-fib"))).isZero();
        assertThat(broker.messageCount(QueueNames.AUDIT)).isEqualTo(1);
        try (Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message record = s.createConsumer(s.createQueue(QueueNames.AUDIT)).receive(10_000);
            assertThat(record).isInstanceOf(BytesMessage.class);
            assertThat(record.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
            assertThat(record.getStringProperty(QueueNames.STEP_ID)).isEqualTo("step-" + packageId);
            assertThat(new String(record.getBody(byte[].class), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("acknowledged " + packageId);
        }
    }

    @Test
    void theHubsOwnInVmAcknowledgementIsNotCountedAgain() throws Exception {
        send("police-fib", "66666666-6666-6666-6666-666666666666");
        assertThat(new BrokerInbox(broker.connectionFactory())
                .acknowledge("police-fib", "66666666-6666-6666-6666-666666666666")).isPresent();
        assertThat(acks).isEmpty();
    }

    @Test
    void aRecipientCannotConsumeAnothersInboxAndTheRefusalIsReported() throws Exception {
        send("police-fib", "77777777-7777-7777-7777-777777777777");
        try (Connection c = coreClient("mash-bpl").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> s.createConsumer(s.createQueue(QueueNames.inbox("police-fib"))))
                    .isInstanceOf(JMSSecurityException.class);
        }
        // the JMS client asks for the address before it creates the consumer: that question is refused already
        assertThat(refusals).containsExactly("mash-bpl: QUERY on intel.police-fib");
        assertThat(broker.messageCount(QueueNames.inbox("police-fib"))).isEqualTo(1);
        assertThat(acks).isEmpty();
    }

    @Test
    void noCertificateNoConnection() {
        assertThatThrownBy(() -> coreClient(null).createConnection().close()).isInstanceOf(JMSException.class);
    }

    static void await(java.util.function.BooleanSupplier condition) {
        org.safeguarding.hub.crypto.testing.Await.until("the broker's callback", Duration.ofSeconds(10), condition);
    }
}
