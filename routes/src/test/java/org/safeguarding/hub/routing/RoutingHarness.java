package org.safeguarding.hub.routing;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.builder.NotifyBuilder;
import org.safeguarding.hub.app.JmsComponents;
import org.apache.camel.impl.DefaultCamelContext;
import org.safeguarding.hub.broker.EmbeddedBroker;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.testing.RealParts;

/**
 * Routing on real parts: an embedded broker on a journal in a temporary directory (redelivery
 * without delay, three attempts), the real router, and a Camel context holding exactly the
 * routing route and its error policy, wired as the application wires them.
 */
final class RoutingHarness implements AutoCloseable {
    static final int MAX_DELIVERY_ATTEMPTS = 3;

    final RealParts parts;
    final EmbeddedBroker broker;
    final CamelContext camel;
    final org.safeguarding.hub.auditing.AuditFeed feed;

    RoutingHarness(Path dir, RealParts parts, SubmissionRouter router) throws Exception {
        this(dir, parts, router, cf -> cf, CrashPoint.NONE);
    }

    /**
     * @param consumerConnections wraps the connection factory the routing consumer uses (to watch its commits)
     * @param beforeCommit        run at the end of each routing step, before the consumer commits
     */
    RoutingHarness(Path dir, RealParts parts, SubmissionRouter router,
                   java.util.function.UnaryOperator<jakarta.jms.ConnectionFactory> consumerConnections,
                   CrashPoint beforeCommit) throws Exception {
        this(dir, parts, feed -> router, consumerConnections, beforeCommit, 1);
    }

    /** With a router made for this harness's feed, and {@code consumers} routing consumers. */
    RoutingHarness(Path dir, RealParts parts,
                   java.util.function.Function<org.safeguarding.hub.auditing.AuditFeed, SubmissionRouter> router,
                   int consumers) throws Exception {
        this(dir, parts, router, cf -> cf, CrashPoint.NONE, consumers);
    }

    private RoutingHarness(Path dir, RealParts parts,
                           java.util.function.Function<org.safeguarding.hub.auditing.AuditFeed, SubmissionRouter> router,
                           java.util.function.UnaryOperator<jakarta.jms.ConnectionFactory> consumerConnections,
                           CrashPoint beforeCommit, int consumers) throws Exception {
        this.parts = parts;
        List<String> recipients = parts.partnership.partnership().participants().stream()
                .filter(p -> p.hasRole(Role.RECIPIENT)).map(Participant::id).toList();
        broker = new EmbeddedBroker(new HubSettings.Broker(dir.resolve("broker"), 0, 0, MAX_DELIVERY_ATTEMPTS,
                Duration.ZERO, Duration.ZERO), recipients, id -> true, (who, what) -> { });
        broker.start();
        feed = parts.feed(broker);
        camel = new DefaultCamelContext();
        camel.addComponent(JmsComponents.TRANSACTED,
                JmsComponents.transacted(consumerConnections.apply(broker.connectionFactory())));
        camel.addRoutes(new RoutingRoute(router.apply(feed), consumers, beforeCommit));
    }

    /** What intake puts on the queue: the sealed bytes and the receipt as properties. */
    record Queued(String partnerId, String submissionId, String receiptId, Instant receivedAt, byte[] sealed) {
        static Queued of(String partnerId, String submissionId, Instant receivedAt, byte[] sealed) {
            return new Queued(partnerId, submissionId, UUID.randomUUID().toString(), receivedAt, sealed);
        }
    }

    /** Puts a submission on the intake queue; {@code duplicateId} null sends it without one. */
    void enqueue(Queued q, String duplicateId) throws Exception {
        enqueue(q, duplicateId, null, null);
    }

    /**
     * Puts a submission on the intake queue as intake does within one run: with {@code contentDigest} (null: the
     * envelope's own) and what intake {@code handedOff} to routing (null: nothing).
     */
    void enqueue(Queued q, String duplicateId, String contentDigest,
                 org.safeguarding.hub.intake.SubmissionOpener.HandedOff handedOff) throws Exception {
        try (Connection c = broker.connectionFactory().createConnection();
             Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(QueueNames.INTAKE));
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(q.sealed());
            m.setStringProperty(QueueNames.PARTNER_ID, q.partnerId());
            m.setStringProperty(QueueNames.SUBMISSION_ID, q.submissionId());
            m.setStringProperty(QueueNames.RECEIPT_ID, q.receiptId());
            m.setStringProperty(QueueNames.RECEIVED_AT, q.receivedAt().toString());
            if (duplicateId != null) {
                m.setStringProperty(QueueNames.DUPLICATE_ID, duplicateId);
            }
            // what intake records of a submission it verified, so that routing reopens it without verifying again;
            // an envelope that does not open goes without, and routing verifies it in full (and refuses it)
            m.setStringProperty(QueueNames.ENVELOPE_DIGEST, org.safeguarding.hub.intake.Digests.sha256Hex(q.sealed()));
            try {
                m.setStringProperty(QueueNames.CONTENT_DIGEST, contentDigest != null ? contentDigest
                        : parts.opener.open(q.sealed()).contentSha256Hex());
            } catch (org.safeguarding.hub.crypto.CryptoException notOpenable) {
                // left without a digest
            }
            if (handedOff != null) {
                m.setStringProperty(QueueNames.HAND_OFF_KEY, handedOff.keyId());
                m.setStringProperty(QueueNames.HAND_OFF, handedOff.sealed());
            }
            p.send(m);
        }
    }

    void enqueue(Queued q) throws Exception {
        enqueue(q, QueueNames.intakeDuplicateId(q.partnerId(), q.submissionId()));
    }

    /**
     * Runs {@code step} just before ({@code after} false) or after the routing step with the given id,
     * on every attempt; call before {@code camel.start()}. Returns the count of attempts so far.
     */
    java.util.concurrent.atomic.AtomicInteger adviseRouting(String stepId, boolean after,
            java.util.function.BiConsumer<Integer, org.apache.camel.Exchange> step) throws Exception {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        org.apache.camel.builder.AdviceWith.adviceWith(camel, "routing", a -> {
            var weave = a.weaveById(stepId);
            (after ? weave.after() : weave.before()).process(e -> step.accept(attempts.incrementAndGet(), e));
        });
        return attempts;
    }

    /** C01 sealed by lancs-police, its receipt reserved as intake would, put on the intake queue. */
    String enqueueReservedC01() throws Exception {
        return enqueueReserved(parts.submission("C01-police-cce-blackpool.json")).submissionId();
    }

    /** {@code json} sealed by {@code partner}, received at {@code receivedAt}, reserved and queued as intake would. */
    Queued enqueueReserved(byte[] json, String partner, Instant receivedAt) throws Exception {
        String submissionId = RealParts.submissionIdOf(json);
        Queued queued = Queued.of(partner, submissionId, receivedAt, parts.seal(json, partner));
        parts.registry.reserve(new org.safeguarding.hub.registry.Receipt(partner, submissionId, queued.receiptId(),
                receivedAt, "digest"));
        enqueue(queued);
        return queued;
    }

    /** {@code json} sealed by lancs-police, its receipt reserved as intake would, put on the intake queue. */
    Queued enqueueReserved(byte[] json) throws Exception {
        String submissionId = RealParts.submissionIdOf(json);
        Queued queued = Queued.of("lancs-police", submissionId, parts.now(), parts.seal(json, "lancs-police"));
        parts.registry.reserve(new org.safeguarding.hub.registry.Receipt("lancs-police", submissionId,
                queued.receiptId(), parts.now(), "digest"));
        enqueue(queued);
        return queued;
    }

    /** C01 carrying one attachment of {@code bytes} random bytes (seeded), base64 as the scenario has it. */
    static byte[] c01WithAttachment(RealParts parts, int bytes, long seed) {
        byte[] attachment = new byte[bytes];
        new java.util.Random(seed).nextBytes(attachment);
        String base64 = java.util.Base64.getEncoder().encodeToString(attachment);
        return parts.submission("C01-police-cce-blackpool.json", n -> n.putArray("attachments").addObject()
                .put("name", "scan.bin").put("mediaType", "application/octet-stream").put("content", base64));
    }

    /** The files left in the router's spool. */
    static List<Path> spooled(RealParts parts) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(parts.spool)) {
            return files.toList();
        }
    }

    /** Real parts whose clock stands at the current second. */
    static RealParts fixedClockParts(Path dir) {
        return new RealParts(dir.resolve("db"), java.time.Clock.fixed(
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), java.time.ZoneOffset.UTC));
    }

    /**
     * Every recipient's inbox, drained and opened as that recipient opens it: the package JSONs by recipient, each held
     * against the published package schema ({@link org.safeguarding.hub.testing.PackageSchema}).
     */
    java.util.Map<String, List<com.fasterxml.jackson.databind.JsonNode>> openedInboxes(List<String> recipients)
            throws Exception {
        java.util.Map<String, List<com.fasterxml.jackson.databind.JsonNode>> all = new java.util.LinkedHashMap<>();
        for (String r : recipients) {
            List<com.fasterxml.jackson.databind.JsonNode> opened = new ArrayList<>();
            for (Message m : drain(QueueNames.inbox(r))) {
                var envelope = new org.safeguarding.hub.crypto.EnvelopeOpener(List.of(parts.pki.identity(r)),
                        org.safeguarding.hub.crypto.AlgorithmPolicy.defaults()).open(RoutingQuarantineTest.body(m));
                opened.add(org.safeguarding.hub.testing.PackageSchema.read(envelope.content()));
            }
            all.put(r, opened);
        }
        return all;
    }

    /** Takes every message off a queue (consuming them), for inspection. */
    List<Message> drain(String queue) throws Exception {
        List<Message> out = new ArrayList<>();
        try (Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            Message m;
            while ((m = consumer.receive(500)) != null) {
                if (m instanceof BytesMessage b) {
                    b.getBody(byte[].class); // a large message's body must be read before the session closes
                }
                out.add(m);
            }
        }
        return out;
    }

    /** A NotifyBuilder on routing whole submissions: the split's per-package exchanges are not counted. */
    NotifyBuilder routing() {
        return new NotifyBuilder(camel).fromRoute("routing")
                .filter(e -> e.getProperty(ExchangePropertyKey.SPLIT_INDEX) == null);
    }

    long count(String queue) {
        return broker.messageCount(queue);
    }

    /**
     * Waits (bounded) until {@code n} submissions put on the intake queue have settled: each
     * either acknowledged by a committed routing transaction or moved to the dead-letter queue
     * after its last attempt. Asked of the broker's own counters through its management address.
     */
    void awaitSettled(long n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (intakeCounter("messagesAcknowledged") + intakeCounter("messagesKilled") < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("intake messages not settled: acknowledged "
                        + intakeCounter("messagesAcknowledged") + ", killed " + intakeCounter("messagesKilled"));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        awaitRecorded();
    }

    /** Waits (bounded) until the feed has applied every step record the broker holds: audit and registry are written. */
    void awaitRecorded() {
        org.safeguarding.hub.crypto.testing.Await.until("the audit queue to be applied", Duration.ofSeconds(30),
                () -> count(QueueNames.AUDIT) == 0 && count(QueueNames.DEAD_LETTER) == 0);
    }

    /** Intake messages moved to the dead-letter queue after their last attempt. */
    long intakeKilled() throws Exception {
        return intakeCounter("messagesKilled");
    }

    private long intakeCounter(String attribute) throws Exception {
        try (Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue reply = s.createTemporaryQueue();
            Message m = s.createMessage();
            JMSManagementHelper.putAttribute(m, ResourceNames.QUEUE + QueueNames.INTAKE, attribute);
            m.setJMSReplyTo(reply);
            s.createProducer(s.createQueue("activemq.management")).send(m);
            Message answer = s.createConsumer(reply).receive(5000);
            if (answer == null || !JMSManagementHelper.hasOperationSucceeded(answer)) {
                throw new IllegalStateException("the broker did not answer for " + attribute);
            }
            return ((Number) JMSManagementHelper.getResult(answer)).longValue();
        }
    }

    /** Waits (bounded) until {@code queue} holds {@code n} messages: a commit shows in the counts a moment later. */
    void awaitCount(String queue, long n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count(queue) != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(queue + " holds " + count(queue) + " messages, not " + n);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Override
    public void close() {
        try {
            camel.close();
        } catch (Exception e) {
            // closing a test context
        } finally {
            feed.close();
            broker.close();
        }
    }
}
