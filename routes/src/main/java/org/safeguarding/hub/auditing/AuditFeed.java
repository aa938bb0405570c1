package org.safeguarding.hub.auditing;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.safeguarding.hub.audit.AuditRecord;
import org.safeguarding.hub.audit.AuditTrail;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.registry.RegistryProjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer that fills the audit store and the registry from the broker's audit queue: it takes what is there (up
 * to a batch), appends the audit records and applies the registry changes (both idempotent, so a batch applied twice
 * after a crash adds nothing), and only once both are on disk commits the consume. While the audit store or the
 * registry is away it keeps its batch and tries again, backing off; nothing is lost or skipped, and it recovers by
 * itself. A message that cannot be read (never written by this hub) goes to quarantine, recorded in the log.
 *
 * <p>On several hub nodes the audit queue is exclusive: one node's feed takes it at a time, in order, and another's
 * takes over when that node goes. A node's answer waits for its step wherever it is applied: with
 * {@link #sharingApplied()} each feed tells the others, on the {@link QueueNames#APPLIED} topic, which steps it applied (step ids
 * only, never persisted), and completes what its own callers wait for when any node tells it.
 */
public final class AuditFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFeed.class);
    private static final jakarta.jms.Queue AUDIT = ActiveMQJMSClient.createQueue(QueueNames.AUDIT);
    private static final jakarta.jms.Queue QUARANTINE = ActiveMQJMSClient.createQueue(QueueNames.QUARANTINE);
    static final int MAX_BATCH = 200;
    /**
     * How long an answer (202, 200, 204) waits for the feed to apply what its step committed, so that the caller's
     * next question sees it; the step is durable on the broker already, so past this the answer is still given.
     */
    public static final Duration ANSWER_WAIT = Duration.ofSeconds(5);
    private static final long MAX_BACKOFF_MS = 5_000;
    /** The multicast address on which the nodes' feeds tell each other the step ids they applied. */
    private static final jakarta.jms.Topic APPLIED_TOPIC = ActiveMQJMSClient.createTopic(QueueNames.APPLIED);
    private volatile boolean sharing;
    private final AtomicLong appliedElsewhere = new AtomicLong();

    private final ConnectionFactory connections;
    private final AuditTrail trail;
    private final RegistryProjection registry;
    private final Clock clock;
    private final Map<String, CompletableFuture<Void>> expected = new ConcurrentHashMap<>();
    private final AtomicLong applied = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean failing;
    private volatile String lastFailure;
    private final java.util.function.LongSupplier pending;
    private volatile long lastLagMillis;

    /** @param pending how many messages wait on the audit queue (the broker's count), for a clean stop */
    public AuditFeed(ConnectionFactory connections, AuditTrail trail, RegistryProjection registry, Clock clock,
                     java.util.function.LongSupplier pending) {
        this.pending = pending;
        this.connections = connections;
        this.trail = trail;
        this.registry = registry;
        this.clock = clock;
        this.thread = new Thread(this::run, "audit-feed");
        this.thread.setDaemon(true);
    }

    public AuditFeed start() {
        thread.start();
        return this;
    }

    /**
     * Tells the other nodes' feeds what this one applies, and listens for what they apply: for a hub whose broker
     * several nodes share (call before {@link #start()}).
     */
    public AuditFeed sharingApplied() {
        this.sharing = true;
        return this;
    }

    /** Steps this node's callers waited for that another node's feed applied. */
    public long appliedElsewhere() {
        return appliedElsewhere.get();
    }

    /**
     * Registers interest in a step record before it is sent (so that it cannot be applied unseen); the caller awaits
     * or cancels the answer.
     */
    /**
     * Waits, at most {@link #ANSWER_WAIT}, until {@code seen} is true: for a step another attempt committed, whose
     * record the feed applies a moment later. The registry has no event to wait on, so it is asked every 20 ms.
     */
    public static boolean awaitSeen(java.util.function.BooleanSupplier seen) {
        long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
        do {
            if (seen.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    public Applied expect(String stepId) {
        CompletableFuture<Void> f = expected.computeIfAbsent(stepId, id -> new CompletableFuture<>());
        return new Applied(stepId, f);
    }

    /** A step record being waited for. */
    public final class Applied {
        private final String stepId;
        private final CompletableFuture<Void> future;

        Applied(String stepId, CompletableFuture<Void> future) {
            this.stepId = stepId;
            this.future = future;
        }

        /**
         * True once the feed applied the record; false if {@code timeout} passed first, or at once while the feed
         * cannot write (the audit store or registry away) or has stopped: the record is durable on the broker and
         * applied later.
         */
        public boolean await(Duration timeout) {
            if ((failing || !running) && !future.isDone()) {
                expected.remove(stepId);
                return false;
            }
            try {
                future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                expected.remove(stepId);
                LOG.warn("a step record was not applied within {} ms; it stays on the audit queue", timeout.toMillis());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                expected.remove(stepId);
                return false;
            } catch (ExecutionException e) {
                return false;
            }
        }

        /** Runs {@code action} once the record is applied, or once the feed stops without applying it. */
        public void whenDone(Runnable action) {
            future.whenComplete((v, e) -> action.run());
        }

        /** The record was never sent. */
        public void cancel() {
            expected.remove(stepId);
        }
    }

    /** Whether the feed runs and its last batch went in (false while the audit store or registry is away). */
    public boolean healthy() {
        return running && thread.isAlive() && !failing;
    }

    /** Step records applied since start. */
    public long appliedCount() {
        return applied.get();
    }

    /** How long the last applied record waited on the audit queue, in milliseconds: the writer's lag. */
    public long lagMillis() {
        return lastLagMillis;
    }

    /** What the last failed attempt said (no content: database and broker errors only), or null. */
    public String lastFailure() {
        return lastFailure;
    }

    private void run() {
        long backoff = 50;
        while (running) {
            try (Connection c = connections.createConnection()) {
                Session session = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = session.createConsumer(AUDIT);
                MessageProducer quarantine = session.createProducer(QUARANTINE);
                Teller told = sharing ? tellOthers(c) : null;
                c.start();
                backoff = 50;
                while (running) {
                    Message first = consumer.receive(250);
                    if (first == null) {
                        continue;
                    }
                    List<Message> batch = new ArrayList<>();
                    batch.add(first);
                    Message next;
                    while (batch.size() < MAX_BATCH && (next = consumer.receiveNoWait()) != null) {
                        batch.add(next);
                    }
                    applyUntilDone(batch, quarantine);
                    session.commit();
                    // counted before anyone waiting is woken: whoever sees its step applied sees it counted
                    Message last = batch.get(batch.size() - 1);
                    lastLagMillis = Math.max(0, clock.millis() - last.getJMSTimestamp());
                    applied.addAndGet(batch.size());
                    StringBuilder ids = told == null ? null : new StringBuilder();
                    for (Message m : batch) {
                        String id = m.getStringProperty(QueueNames.STEP_ID);
                        CompletableFuture<Void> f = id == null ? null : expected.remove(id);
                        if (f != null) {
                            f.complete(null);
                        } else if (ids != null && id != null) {
                            ids.append(id).append('\n');
                        }
                    }
                    if (ids != null && ids.length() > 0) {
                        told.producer().send(told.session().createTextMessage(ids.toString()));
                    }
                }
            } catch (JMSException | RuntimeException e) {
                if (!running) {
                    break;
                }
                failing = true;
                lastFailure = e.getClass().getSimpleName();
                LOG.warn("the audit feed lost the broker ({}); it reconnects in {} ms", e.toString(), backoff);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /**
     * A producer of applied step ids for the other nodes (non-persistent: a notice lost in a failover only makes a
     * caller wait its {@link #ANSWER_WAIT}), and a listener completing what this node's callers wait for.
     */
    private Teller tellOthers(Connection c) throws JMSException {
        Session listening = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        listening.createConsumer(APPLIED_TOPIC, null, true).setMessageListener(m -> {
            try {
                for (String id : m.getBody(String.class).split("\n")) {
                    CompletableFuture<Void> f = id.isEmpty() ? null : expected.remove(id);
                    if (f != null) {
                        appliedElsewhere.incrementAndGet();
                        f.complete(null);
                    }
                }
            } catch (JMSException | RuntimeException e) {
                LOG.debug("a notice of applied steps could not be read: {}", e.getClass().getSimpleName());
            }
        });
        Session telling = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = telling.createProducer(APPLIED_TOPIC);
        p.setDeliveryMode(jakarta.jms.DeliveryMode.NON_PERSISTENT);
        p.setDisableMessageID(true);
        return new Teller(telling, p);
    }

    private record Teller(Session session, MessageProducer producer) {
    }

    /** Applies a batch, trying again (backing off) while the audit store or the registry fails; only a stop ends it. */
    private void applyUntilDone(List<Message> batch, MessageProducer quarantine) throws JMSException {
        List<AuditRecord> records = new ArrayList<>();
        List<RegistryChange> changes = new ArrayList<>();
        for (Message m : batch) {
            try {
                StepRecord step = OutboxCodec.decode(body(m));
                records.addAll(step.records());
                changes.addAll(step.changes());
            } catch (IOException | RuntimeException e) {
                // only the hub writes to this queue: a message it cannot read is a defect, kept for inspection
                LOG.error("an audit-queue message could not be read ({}); it goes to quarantine", e.getClass().getSimpleName());
                m.setStringProperty(QueueNames.QUARANTINE_REASON, "UNREADABLE_STEP_RECORD");
                quarantine.send(m);
            }
        }
        long backoff = 50;
        while (true) {
            try {
                // the audit first: what the registry shows (a partner's status, an inbox) is recorded by then
                trail.appendAll(records);
                registry.apply(changes);
                if (failing) {
                    LOG.info("the audit feed writes again");
                }
                failing = false;
                lastFailure = null;
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    throw e;
                }
                if (!failing) {
                    LOG.error("the audit store or the registry cannot be written ({}); what the hub records waits on"
                            + " the broker and is written when they are back", e.getMessage());
                }
                failing = true;
                lastFailure = e.getClass().getSimpleName();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    private static byte[] body(Message m) throws JMSException {
        if (!(m instanceof BytesMessage b)) {
            throw new IllegalStateException("not a bytes message");
        }
        return b.getBody(byte[].class);
    }

    /** Applies what is still queued (at most 10 s: what is left is applied at the next start), then stops. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running && healthy() && pending.getAsLong() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        expected.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the audit feed stopped")));
    }
}
