package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * Recipients' own consumers on the hub's broker, with a client library that is not the hub's:
 * police-fib takes its C01 package from {@code intel.police-fib} over AMQP/TLS with Qpid JMS and
 * SASL EXTERNAL, which acknowledges it exactly as the HTTPS ack would; mash-bpl cannot take
 * police-fib's, and the refusal is audited; a client without a certificate gets no TLS session;
 * mash-bpl takes its own package over CORE/TLS. Nobody learns anything of another's inbox: consuming, browsing or
 * sending to it over AMQP fails exactly as for a queue that does not exist, and CORE queue and address queries of it
 * are refused for the board and a partner; every refusal is audited with the peer and the certificate's fingerprint,
 * repeats counted rather than written again.
 */
class AmqpConsumerIT {
    static RunningHub hub;
    static String submissionId;
    static Path trustStore;

    @BeforeAll
    static void routeC01(@TempDir Path tmp) throws Exception {
        hub = RunningHub.start(TestPki.ec(), "broker:\n  amqpPort: 0\n  corePort: 0");
        TestPki pki = hub.pki();
        trustStore = caTrustStore(pki.caPem(), tmp.resolve("ca-trust.p12"));
        byte[] sealed = OpenSsl.signAndEncrypt(Submissions.current("C01-police-cce-blackpool.json"),
                pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm");
        NotifyBuilder routed = hub.routedNotifier(1);
        HttpResponse<byte[]> r = hub.client("lancs-police").submit(sealed);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(202);
        submissionId = HubHttpClient.json(r).path("submissionId").asText();
        assertThat(routed.matches(60, TimeUnit.SECONDS)).as("routed").isTrue();
        hub.awaitRecorded();
        hub.awaitPackages("police-fib", 1);
        hub.awaitPackages("mash-bpl", 1);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    static Path caTrustStore(Path caPem, Path file) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (var in = Files.newInputStream(caPem)) {
            int i = 0;
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ts.setCertificateEntry("ca-" + i++, (X509Certificate) c);
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            ts.store(out, TestPki.PASSWORD.toCharArray());
        }
        return file;
    }

    static ConnectionFactory qpid(String participant) {
        String keyStore = participant == null ? ""
                : "transport.keyStoreLocation=" + hub.pki().p12(participant) + "&transport.keyStorePassword="
                        + TestPki.PASSWORD + "&transport.keyStoreType=PKCS12&";
        return new JmsConnectionFactory("amqps://localhost:" + hub.app().broker().amqpPort() + "?" + keyStore
                + "transport.trustStoreLocation=" + trustStore + "&transport.trustStorePassword=" + TestPki.PASSWORD
                + "&transport.trustStoreType=PKCS12&amqp.saslMechanisms=EXTERNAL");
    }

    static ConnectionFactory core(String participant) {
        return new ActiveMQConnectionFactory("tcp://localhost:" + hub.app().broker().corePort()
                + "?sslEnabled=true&keyStorePath=" + hub.pki().p12(participant) + "&keyStorePassword="
                + TestPki.PASSWORD + "&keyStoreType=PKCS12&trustStorePath=" + trustStore + "&trustStorePassword="
                + TestPki.PASSWORD + "&trustStoreType=PKCS12&reconnectAttempts=0&callTimeout=10000");
    }

    /** Takes the one package in the participant's own inbox, as its own consumer would. */
    static Message consumeOwn(ConnectionFactory cf, String participant) throws JMSException {
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QueueNames.inbox(participant)));
            Message m = consumer.receive(30_000);
            assertThat(m).as(participant + " received its package").isNotNull();
            // read before the connection closes
            m.getBody(byte[].class);
            return m;
        }
    }

    @Test
    void policeConsumesItsPackageOverAmqpsAndThatAcknowledgesIt() throws Exception {
        Message m;
        byte[] body;
        try (Connection c = qpid("police-fib").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QueueNames.inbox("police-fib")));
            m = consumer.receive(30_000);
            assertThat(m).as("police-fib received its package").isNotNull();
            body = m.getBody(byte[].class);
        }
        String packageId = m.getStringProperty("packageId");
        assertThat(m.getStringProperty("submissionId")).isEqualTo(submissionId);
        assertThat(packageId).matches("[0-9a-f-]{36}");
        TestPki pki = hub.pki();
        JsonNode pkg = HubHttpClient.JSON.readTree(OpenSsl.decryptAndVerify(body, pki.cert("police-fib"),
                pki.key("police-fib"), pki.caPem()));
        assertThat(pkg.path("packageId").asText()).isEqualTo(packageId);
        assertThat(pkg.path("recipient").asText()).isEqualTo("police-fib");

        awaitState("police-fib", "ACKNOWLEDGED");
        assertThat(events(AuditEventType.PACKAGE_ACKNOWLEDGED)).anySatisfy(e -> {
            assertThat(e.participant()).isEqualTo("police-fib");
            assertThat(e.packageId()).isEqualTo(packageId);
            assertThat(e.submissionId()).isEqualTo(submissionId);
            assertThat(e.detail()).isEqualTo("amqp");
        });
        assertThat(hub.app().broker().messageCount(QueueNames.inbox("police-fib"))).isZero();
        // the HTTPS inbox sees the same queue: gone there too
        assertThat(HubHttpClient.json(hub.client("police-fib").get("api/v1/inbox"))).isEmpty();
    }

    @Test
    void mashCannotConsumePolicesInboxAndTheAttemptIsAudited() throws Exception {
        try (Connection c = qpid("mash-bpl").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> s.createConsumer(s.createQueue(QueueNames.inbox("police-fib"))))
                    .isInstanceOf(JMSSecurityException.class);
        }
        List<AuditEvent> refused = hub.app().auditTrail().find(
                new AuditQuery(null, null, AuditEventType.ACCESS_REFUSED, null, null, null, 1000));
        assertThat(refused).anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo("mash-bpl");
            assertThat(e.detail()).contains("intel.police-fib");
        });
    }

    /** What an attempt on a queue gets: nothing, or the kind of failure (its class, and whether it names a queue). */
    static String attempt(ConnectionFactory cf, String queue, String how) {
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.Queue q = s.createQueue(queue);
            switch (how) {
                case "consume" -> s.createConsumer(q).receiveNoWait();
                case "browse" -> s.createBrowser(q).getEnumeration().hasMoreElements();
                case "send" -> s.createProducer(q);
                default -> throw new IllegalArgumentException(how);
            }
            return "allowed";
        } catch (JMSException e) {
            return e.getClass().getSimpleName() + (String.valueOf(e.getMessage()).contains("exist") ? " (not found)" : "");
        }
    }

    @Test
    void overAmqpAnothersInboxIsRefusedExactlyAsAQueueThatIsNotThereAndAudited() throws Exception {
        for (String how : List.of("consume", "browse", "send")) {
            String other = attempt(qpid("mash-bpl"), QueueNames.inbox("police-fib"), how);
            assertThat(other).as(how + " on police-fib's inbox").isNotEqualTo("allowed").doesNotContain("not found")
                    .isEqualTo(attempt(qpid("mash-bpl"), QueueNames.inbox("no-such-recipient"), how));
        }
        // a dynamic (temporary) queue of its own is not for a participant either
        try (Connection c = qpid("mash-bpl").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(s::createTemporaryQueue).isInstanceOf(JMSSecurityException.class);
        }
        assertThat(hub.app().broker().messageCount(QueueNames.inbox("police-fib"))).isEqualTo(1);
        assertThat(refusedEvents("mash-bpl")).anySatisfy(e -> assertThat(e.detail()).contains("CREATE"));
        assertThat(refusedEvents("mash-bpl")).anySatisfy(e -> assertThat(e.detail())
                .contains("intel.police-fib").contains("peer=127.0.0.1").contains("cert=" + fingerprint("mash-bpl")));
    }

    @Test
    void overCoreTheBoardAndAPartnerLearnNothingOfAnInboxAndAreAudited() throws Exception {
        for (String who : List.of("board", "lancs-police")) {
            try (var locator = org.apache.activemq.artemis.api.core.client.ActiveMQClient.createServerLocator(
                    "tcp://localhost:" + hub.app().broker().corePort() + "?sslEnabled=true&keyStorePath="
                            + hub.pki().p12(who) + "&keyStorePassword=" + TestPki.PASSWORD + "&keyStoreType=PKCS12"
                            + "&trustStorePath=" + trustStore + "&trustStorePassword=" + TestPki.PASSWORD
                            + "&trustStoreType=PKCS12&reconnectAttempts=0&callTimeout=10000");
                 var sf = locator.createSessionFactory();
                 var session = sf.createSession()) {
                assertThatThrownBy(() -> session.queueQuery(
                        org.apache.activemq.artemis.api.core.SimpleString.of(QueueNames.inbox("police-fib"))))
                        .isInstanceOf(org.apache.activemq.artemis.api.core.ActiveMQSecurityException.class);
                assertThatThrownBy(() -> session.addressQuery(
                        org.apache.activemq.artemis.api.core.SimpleString.of(QueueNames.inbox("police-fib"))))
                        .isInstanceOf(org.apache.activemq.artemis.api.core.ActiveMQSecurityException.class);
                // asking again and again is counted, not written again and again (one event a minute with the count)
                int before = refusedEvents(who).size();
                for (int i = 0; i < 200; i++) {
                    assertThatThrownBy(() -> session.queueQuery(
                            org.apache.activemq.artemis.api.core.SimpleString.of(QueueNames.inbox("police-fib"))))
                            .isInstanceOf(org.apache.activemq.artemis.api.core.ActiveMQSecurityException.class);
                }
                assertThat(refusedEvents(who).size()).as("events after 200 more refusals").isLessThanOrEqualTo(before + 2);
            }
            assertThat(refusedEvents(who)).as(who).anySatisfy(e -> {
                assertThat(e.detail()).startsWith("broker:-QUERY-on-intel.police-fib;peer=127.0.0.1;cert=")
                        .contains(fingerprint(who));
                assertThat(e.participant()).isNull();
            });
        }
    }

    static List<AuditEvent> refusedEvents(String actor) {
        return hub.app().auditTrail().find(new AuditQuery(null, null, AuditEventType.ACCESS_REFUSED, null, null, null,
                1000)).stream().filter(e -> actor.equals(e.actor())).toList();
    }

    static String fingerprint(String participant) throws Exception {
        try (var in = Files.newInputStream(hub.pki().cert(participant))) {
            var cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        }
    }

    @Test
    void aClientWithoutACertificateGetsNoTlsSession() {
        assertThatThrownBy(() -> qpid(null).createConnection().start()).isInstanceOf(JMSException.class);
    }

    @Test
    void theBrokerOffersOnlySaslExternalNoPasswordLogin() {
        String url = "amqps://localhost:" + hub.app().broker().amqpPort() + "?transport.keyStoreLocation="
                + hub.pki().p12("mash-bpl") + "&transport.keyStorePassword=" + TestPki.PASSWORD
                + "&transport.trustStoreLocation=" + trustStore + "&transport.trustStorePassword=" + TestPki.PASSWORD
                + "&amqp.saslMechanisms=PLAIN";
        assertThatThrownBy(() -> new JmsConnectionFactory("mash-bpl", "guess", url).createConnection().start())
                .isInstanceOf(JMSException.class).hasMessageContaining("SASL").hasMessageContaining("EXTERNAL");
    }

    @Test
    void mashConsumesItsOwnPackageOverCoreAndThatAcknowledgesIt() throws Exception {
        Message m = consumeOwn(core("mash-bpl"), "mash-bpl");
        String packageId = m.getStringProperty("packageId");
        assertThat(m.getStringProperty("submissionId")).isEqualTo(submissionId);

        awaitState("mash-bpl", "ACKNOWLEDGED");
        assertThat(events(AuditEventType.PACKAGE_ACKNOWLEDGED)).anySatisfy(e -> {
            assertThat(e.participant()).isEqualTo("mash-bpl");
            assertThat(e.packageId()).isEqualTo(packageId);
            assertThat(e.detail()).isEqualTo("core");
        });
    }

    /** The submitting partner's view of one recipient's package, polled for a bounded time. */
    static void awaitState(String recipient, String state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String seen = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> r = hub.client("lancs-police").get("api/v1/submissions/" + submissionId);
            assertThat(r.statusCode()).isEqualTo(200);
            for (JsonNode d : HubHttpClient.json(r).path("recipients")) {
                if (d.path("recipient").asText().equals(recipient)) {
                    seen = d.path("state").asText();
                }
            }
            if (state.equals(seen)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw new AssertionError(recipient + "'s package is " + seen + ", not " + state + ", after 30 s");
    }

    static List<AuditEvent> events(AuditEventType type) {
        return hub.app().auditTrail().find(new AuditQuery(submissionId, null, type, null, null, null, 1000));
    }
}
