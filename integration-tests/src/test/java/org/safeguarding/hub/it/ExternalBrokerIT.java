package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.broker.BrokerNode;
import org.safeguarding.hub.broker.BrokerPairConfig;
import org.safeguarding.hub.broker.ExternalBroker;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The whole hub on an external broker node (the live node of a generated pair, with the plugin classes) instead of its
 * embedded one: a submission is accepted, routed and recorded; police-fib takes its package from the broker over
 * AMQP/TLS with Qpid JMS, and the broker's ack notice becomes the same acknowledgement as on the embedded broker
 * (state ACKNOWLEDGED, PACKAGE_ACKNOWLEDGED with detail amqp).
 */
class ExternalBrokerIT {
    static BrokerNode node;
    static RunningHub hub;
    static BrokerPairConfig.Result pair;
    static int amqpPort;
    static Path trustStore;
    static String submissionId;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeAll
    static void start(@TempDir Path tmp) throws Exception {
        TestPki pki = TestPki.ec();
        amqpPort = freePort();
        pair = BrokerPairConfig.write(BrokerPairConfig.Options.of(pki.dir(), TestPki.PASSWORD.toCharArray(),
                tmp.resolve("brokers"), "127.0.0.1", new BrokerPairConfig.Node("live", freePort(), amqpPort),
                new BrokerPairConfig.Node("backup", freePort(), freePort())), Clock.systemUTC());
        node = BrokerNode.start(pair.liveDirectory());
        hub = RunningHub.start(pki, pair.hubYaml() + "  callTimeout: PT10S\n");
        assertThat(hub.app().broker()).isInstanceOf(ExternalBroker.class);
        trustStore = AmqpConsumerIT.caTrustStore(pki.caPem(), tmp.resolve("ca-trust.p12"));
        byte[] sealed = OpenSsl.signAndEncrypt(Submissions.current("C01-police-cce-blackpool.json"),
                pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm");
        NotifyBuilder routed = hub.routedNotifier(1);
        HttpResponse<byte[]> r = hub.client("lancs-police").submit(sealed);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(202);
        submissionId = HubHttpClient.json(r).path("submissionId").asText();
        assertThat(routed.matches(60, TimeUnit.SECONDS)).as("routed").isTrue();
        hub.awaitRecorded();
        hub.awaitPackages("police-fib", 1);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aRecipientsAmqpConsumeOnTheExternalBrokerIsAcknowledgedAndAudited() throws Exception {
        TestPki pki = hub.pki();
        JmsConnectionFactory qpid = new JmsConnectionFactory("amqps://127.0.0.1:" + amqpPort
                + "?transport.keyStoreLocation=" + pki.p12("police-fib") + "&transport.keyStorePassword="
                + TestPki.PASSWORD + "&transport.keyStoreType=PKCS12&transport.trustStoreLocation=" + trustStore
                + "&transport.trustStorePassword=" + TestPki.PASSWORD
                + "&transport.trustStoreType=PKCS12&amqp.saslMechanisms=EXTERNAL");
        Message m;
        byte[] body;
        try (Connection c = qpid.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QueueNames.inbox("police-fib")));
            m = consumer.receive(30_000);
            assertThat(m).as("police-fib received its package from the external broker").isNotNull();
            body = m.getBody(byte[].class);
        }
        String packageId = m.getStringProperty(QueueNames.PACKAGE_ID);
        JsonNode pkg = HubHttpClient.JSON.readTree(OpenSsl.decryptAndVerify(body, pki.cert("police-fib"),
                pki.key("police-fib"), pki.caPem()));
        assertThat(pkg.path("packageId").asText()).isEqualTo(packageId);

        Await.until("the acknowledgement audited", Duration.ofSeconds(30), () -> !hub.app().auditTrail().find(
                new AuditQuery(submissionId, null, AuditEventType.PACKAGE_ACKNOWLEDGED, null, null, null, 10))
                .isEmpty());
        assertThat(hub.app().auditTrail().find(new AuditQuery(submissionId, null,
                AuditEventType.PACKAGE_ACKNOWLEDGED, null, null, null, 10))).singleElement().satisfies(e -> {
                    assertThat(e.participant()).isEqualTo("police-fib");
                    assertThat(e.packageId()).isEqualTo(packageId);
                    assertThat(e.detail()).isEqualTo("amqp");
                });
        Await.until("the package acknowledged in the registry", Duration.ofSeconds(30), () -> {
            HttpResponse<byte[]> r = hub.client("lancs-police").get("api/v1/submissions/" + submissionId);
            for (JsonNode d : HubHttpClient.json(r).path("recipients")) {
                if (d.path("recipient").asText().equals("police-fib")) {
                    return d.path("state").asText().equals("ACKNOWLEDGED");
                }
            }
            return false;
        });
        assertThat(Await.value("the hub's notices consumed", Duration.ofSeconds(10),
                () -> hub.app().broker().messageCount(QueueNames.ACKS), n -> n == 0)).isZero();
    }
}
