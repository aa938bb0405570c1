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
    /** The CORE connector's host part, and what it adds to the TLS parameters (failover between brokers). */
    private final List<String> servers;
    private final String failover;
    private final Path trustStore;

    InboxDrainer(TestPki pki, int corePort, Path trustStore) {
        this(pki, List.of("tcp://localhost:" + corePort), "reconnectAttempts=0", trustStore);
    }

    /**
     * Consumers on several brokers ({@code tcp://a:1?name=live}, {@code tcp://b:2?name=backup}) that fail over between
     * them ({@code ha=true&reconnectAttempts=-1}): a batch whose commit a failover rolled back is counted only when it
     * is taken again.
     */
    InboxDrainer(TestPki pki, List<String> servers, String failover, Path trustStore) {
        this.pki = pki;
        this.servers = List.copyOf(servers);
        this.failover = failover;
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
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(HubConfigs.coreUrl(servers, "sslEnabled=true&keyStorePath="
                + pki.p12(recipient) + "&keyStorePassword=" + TestPki.PASSWORD + "&keyStoreType=PKCS12&trustStorePath="
                + trustStore + "&trustStorePassword=" + TestPki.PASSWORD + "&trustStoreType=PKCS12",
                failover + "&callTimeout=30000"));
        int n = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        try (cf; Connection c = cf.createConnection()) {
            c.start();
            // transacted: a batch of takes commits at once, so acknowledging is not one round trip per package
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QueueNames.inbox(recipient)));
            long lastTaken = System.nanoTime();
            List<Message> uncommitted = new ArrayList<>();
            while (n < MAX_PER_QUEUE && System.nanoTime() < deadline) {
                Message m = consumer.receive(500);
                if (m == null) {
                    if (!uncommitted.isEmpty()) {
                        n += commit(s, recipient, uncommitted);
                    }
                    if (stopping && System.nanoTime() - lastTaken >= TimeUnit.MILLISECONDS.toNanos(IDLE_MS)) {
                        break;
                    }
                    continue;
                }
                lastTaken = System.nanoTime();
                uncommitted.add(m);
                if (uncommitted.size() >= 50) {
                    n += commit(s, recipient, uncommitted);
                }
            }
            n += commit(s, recipient, uncommitted);
        }
        return n;
    }

    /**
     * Commits the batch taken and only then counts it; a batch whose commit fails (a failover between brokers rolls
     * it back) is not counted: the broker gives it again.
     */
    private int commit(Session s, String recipient, List<Message> batch) throws JMSException {
        try {
            s.commit();
        } catch (jakarta.jms.TransactionRolledBackException rolledBack) {
            batch.clear();
            return 0;
        }
        for (Message m : batch) {
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
        }
        int n = batch.size();
        batch.clear();
        return n;
    }
}
