package org.safeguarding.hub.it;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * Takes every package out of every recipient's queue {@code intel.<recipient>}, as that recipient's own consumer
 * would: over CORE/TLS with the recipient's own certificate, consuming (never browsing: a browser may stop early),
 * from {@link #start} until, after {@link #finish}, the queue gives nothing for {@link #IDLE_MS}; at most
 * {@link #MAX_PER_QUEUE} per queue and 5 minutes. Counts deliveries per (submissionId, recipient).
 */
final class InboxDrainer {
    static final long IDLE_MS = 3000;
    static final int MAX_PER_QUEUE = 20_000;

    /** submissionId to recipient to how many packages it received for it. */
    final Map<String, Map<String, Integer>> deliveries = new ConcurrentHashMap<>();
    /** Messages that carried no submissionId property, per recipient. */
    final Map<String, Integer> anonymous = new ConcurrentHashMap<>();
    final Map<String, Integer> perRecipient = new TreeMap<>();
    /** submissionId to recipient to kind ({@code package}, {@code recall}, {@code update}, ...) to how many. */
    final Map<String, Map<String, Map<String, Integer>>> kinds = new ConcurrentHashMap<>();

    private final TestPki pki;
    private final int corePort;
    private final Path trustStore;

    InboxDrainer(TestPki pki, int corePort, Path trustStore) {
        this.pki = pki;
        this.corePort = corePort;
        this.trustStore = trustStore;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, Throwable> failures = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** Starts one consumer per recipient; they take packages as they come until {@link #finish}. */
    void start(List<String> recipients) {
        for (String r : recipients) {
            Thread t = new Thread(() -> {
                try {
                    int n = drainOne(r);
                    synchronized (perRecipient) {
                        perRecipient.put(r, n);
                    }
                } catch (Throwable e) {
                    failures.put(r, e);
                }
            }, "drain-" + r);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Whether every one of {@code recipients} has received at least one package for the submission. */
    boolean reachedAll(String submissionId, java.util.Set<String> recipients) {
        Map<String, Integer> got = deliveries.getOrDefault(submissionId, Map.of());
        return got.keySet().containsAll(recipients);
    }

    /**
     * Lets each consumer go on until its queue has given nothing for {@link #IDLE_MS}, then ends; returns the number
     * of packages taken.
     */
    int finish() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(2));
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not finish draining within 2 minutes");
            }
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("draining over CORE/TLS failed for " + failures.keySet());
            failures.values().forEach(e::addSuppressed);
            throw e;
        }
        return perRecipient.values().stream().mapToInt(Integer::intValue).sum();
    }

    private int drainOne(String recipient) throws JMSException {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("tcp://localhost:" + corePort
                + "?sslEnabled=true&keyStorePath=" + pki.p12(recipient) + "&keyStorePassword=" + TestPki.PASSWORD
                + "&keyStoreType=PKCS12&trustStorePath=" + trustStore + "&trustStorePassword=" + TestPki.PASSWORD
                + "&trustStoreType=PKCS12&reconnectAttempts=0&callTimeout=30000");
        int n = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        try (cf; Connection c = cf.createConnection()) {
            c.start();
            // transacted: a batch of takes commits at once, so acknowledging is not one round trip per package
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QueueNames.inbox(recipient)));
            long lastTaken = System.nanoTime();
            int uncommitted = 0;
            while (n < MAX_PER_QUEUE && System.nanoTime() < deadline) {
                Message m = consumer.receive(500);
                if (m == null) {
                    if (uncommitted > 0) {
                        s.commit();
                        uncommitted = 0;
                    }
                    if (stopping && System.nanoTime() - lastTaken >= TimeUnit.MILLISECONDS.toNanos(IDLE_MS)) {
                        break;
                    }
                    continue;
                }
                n++;
                lastTaken = System.nanoTime();
                String submissionId = m.getStringProperty("submissionId");
                if (submissionId == null) {
                    anonymous.merge(recipient, 1, Integer::sum);
                } else {
                    deliveries.computeIfAbsent(submissionId, k -> new ConcurrentHashMap<>())
                            .merge(recipient, 1, Integer::sum);
                    String kind = m.getStringProperty("kind");
                    kinds.computeIfAbsent(submissionId, k -> new ConcurrentHashMap<>())
                            .computeIfAbsent(recipient, k -> new ConcurrentHashMap<>())
                            .merge(kind == null ? "package" : kind, 1, Integer::sum);
                }
                if (++uncommitted >= 50) {
                    s.commit();
                    uncommitted = 0;
                }
            }
            s.commit();
        }
        return n;
    }
}
