package org.safeguarding.hub.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;

/** A live/backup pair's configuration from a test PKI, the hub's client of it, and recipients' HA clients. */
final class StandaloneBrokers {
    final TestPki pki;
    final Path dir;
    final BrokerPairConfig.Result config;
    final BrokerPairConfig.Node live;
    final BrokerPairConfig.Node backup;
    final Path clientTrustStore;

    StandaloneBrokers(TestPki pki, Path dir, int sweepPeriodSeconds) throws Exception {
        this.pki = pki;
        this.dir = dir;
        this.live = new BrokerPairConfig.Node("live", freePort(), freePort());
        this.backup = new BrokerPairConfig.Node("backup", freePort(), freePort());
        BrokerPairConfig.Options o = BrokerPairConfig.Options.of(pki.dir(), TestPki.PASSWORD.toCharArray(),
                dir.resolve("brokers"), "127.0.0.1", live, backup);
        o = new BrokerPairConfig.Options(o.pkiDirectory(), o.pkiPassword(), o.out(), o.host(), live, backup,
                o.hubUser(), o.clusterUser(), 3, 100, 1000, sweepPeriodSeconds);
        this.config = BrokerPairConfig.write(o, Clock.systemUTC());
        this.clientTrustStore = TlsAcceptorTest.trustStore(pki, dir);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String hubPassword() throws IOException {
        return Files.readAllLines(config.hubPasswordFile()).get(0).strip();
    }

    HubSettings.External hubSettings() {
        return new HubSettings.External(config.hubUrls(), "hub-node", null, config.hubPasswordFile(), true,
                Duration.ofSeconds(10));
    }

    ExternalBroker hub(String password, Set<String> recipients) {
        FileTrustMaterial trust = new FileTrustMaterial(pki.caPem(), pki.crl());
        BrokerTls tls = new BrokerTls(pki.identity("hub"), trust.anchors(), pki.crl(),
                new TrustValidator(trust).tlsTrustManager(Clock.systemUTC()));
        return new ExternalBroker(hubSettings(), password, tls, dir.resolve("hub-tls-" + System.nanoTime()),
                recipients, Clock.systemUTC());
    }

    private String coreTls(String participant) {
        return "sslEnabled=true&keyStorePath=" + pki.p12(participant) + "&keyStorePassword=" + TestPki.PASSWORD
                + "&keyStoreType=PKCS12&trustStorePath=" + clientTrustStore + "&trustStorePassword="
                + TestPki.PASSWORD + "&trustStoreType=PKCS12";
    }

    /** A recipient's CORE client of the live node only, no reconnection. */
    ActiveMQConnectionFactory coreToLive(String participant) {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + live.corePort() + "?" + coreTls(participant)
                + "&reconnectAttempts=0&initialConnectAttempts=1&callTimeout=5000");
    }

    /** A recipient's CORE client of the pair as the README gives it: both nodes, named as the brokers name them. */
    ActiveMQConnectionFactory coreHa(String participant) {
        String tls = coreTls(participant);
        return new ActiveMQConnectionFactory("(tcp://127.0.0.1:" + live.corePort() + "?name=live&" + tls
                + ",tcp://127.0.0.1:" + backup.corePort() + "?name=backup&" + tls
                + ")?ha=true&reconnectAttempts=-1&retryInterval=200&maxRetryInterval=1000&callTimeout=10000");
    }

    /** A recipient's AMQP client of the pair: qpid-jms failover over both nodes. */
    JmsConnectionFactory amqpFailover(String participant) {
        String tls = "transport.keyStoreLocation=" + pki.p12(participant) + "&transport.keyStorePassword="
                + TestPki.PASSWORD + "&transport.keyStoreType=PKCS12&transport.trustStoreLocation=" + clientTrustStore
                + "&transport.trustStorePassword=" + TestPki.PASSWORD + "&transport.trustStoreType=PKCS12";
        return new JmsConnectionFactory("failover:(amqps://127.0.0.1:" + live.amqpPort() + "?" + tls
                + ",amqps://127.0.0.1:" + backup.amqpPort() + "?" + tls
                + ")?failover.initialReconnectDelay=100&failover.reconnectDelay=200&failover.useReconnectBackOff=false"
                + "&failover.amqpOpenServerListAction=IGNORE&jms.connectionIDPrefix=" + participant + "-"
                + "&failover.nested.amqp.saslMechanisms=EXTERNAL");
    }

    static List<String> participants() {
        return List.of("police-fib", "mash-bpl");
    }
}
