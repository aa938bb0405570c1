package org.safeguarding.hub.bench;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The recipients' own consumers, lean: one CORE/TLS connection per recipient, authenticated by its certificate, on its
 * queue {@code intel.<recipient>}; per message it reads only the {@code submissionId} property and the receive time
 * (no decryption). Consuming acknowledges the package, as a real recipient's consumer does.
 */
final class PackageCollector implements AutoCloseable {
    private final List<Connection> connections = new ArrayList<>();
    private final List<Ledger> ledgers = new CopyOnWriteArrayList<>();
    /** Messages whose submissionId no ledger knows (none is expected: every run starts on an empty broker). */
    final LongAdder unknown = new LongAdder();
    final LongAdder received = new LongAdder();

    PackageCollector(TestPki pki, int corePort, Path trustStore, List<String> recipients) throws JMSException {
        this(pki, List.of("tcp://127.0.0.1:" + corePort), "reconnectAttempts=0", trustStore, recipients);
    }

    /** Consumers on {@code servers} (one broker, or a pair's two) with connection {@code options}. */
    PackageCollector(TestPki pki, List<String> servers, String options, Path trustStore, List<String> recipients)
            throws JMSException {
        try {
            for (String recipient : recipients) {
                ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(org.safeguarding.hub.it.HubConfigs.coreUrl(
                        servers, "sslEnabled=true&keyStorePath=" + pki.p12(recipient) + "&keyStorePassword="
                        + TestPki.PASSWORD + "&keyStoreType=PKCS12&trustStorePath=" + trustStore
                        + "&trustStorePassword=" + TestPki.PASSWORD + "&trustStoreType=PKCS12",
                        options + "&callTimeout=10000"));
                Connection c = cf.createConnection();
                connections.add(c);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue("intel." + recipient));
                consumer.setMessageListener(this::onMessage);
                c.start();
            }
        } catch (JMSException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Packages from now on are also looked up in {@code ledger}. */
    void watch(Ledger ledger) {
        ledgers.add(0, ledger);
    }

    private void onMessage(Message m) {
        long now = System.nanoTime();
        received.increment();
        String submissionId;
        try {
            submissionId = m.getStringProperty("submissionId");
        } catch (JMSException e) {
            unknown.increment();
            return;
        }
        if (submissionId != null) {
            for (Ledger l : ledgers) {
                if (l.arrived(submissionId, now)) {
                    return;
                }
            }
        }
        unknown.increment();
    }

    @Override
    public void close() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException e) {
                // closing at the end of the run: nothing to do
            }
        }
        connections.clear();
    }
}
