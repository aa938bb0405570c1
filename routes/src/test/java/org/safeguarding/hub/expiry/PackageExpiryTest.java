package org.safeguarding.hub.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.auditing.AuditFeed;
import org.safeguarding.hub.auditing.AuditOutbox;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.auditing.StepRecord;
import org.safeguarding.hub.broker.BrokerInbox;
import org.safeguarding.hub.broker.EmbeddedBroker;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.Receipt;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.registry.SubmissionRecord;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.testing.CommitWatch;
import org.safeguarding.hub.testing.MutableClock;
import org.safeguarding.hub.testing.RealParts;

/**
 * Package expiry on real parts: an embedded broker on a journal in a temporary directory, the audit feed filling the
 * H2 registry and audit trail from the broker's audit queue, and a clock the test moves. The crash tests stop the
 * broker as a crash would, just before and just after the expiry's commit, and start it again on the same journal.
 */
class PackageExpiryTest {
    static final Duration LIMIT = Duration.ofDays(5);
    static final String PARTNER = "lancs-police";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    RealParts parts;
    EmbeddedBroker broker;
    AuditFeed feed;
    BrokerInbox inbox;
    PackageExpiry expiry;

    @BeforeEach
    void start() {
        parts = new RealParts(dir, clock);
        startBroker();
        feed = parts.feed(broker);
        inbox = new BrokerInbox(broker.connectionFactory());
        expiry = expiryOver(inbox);
    }

    /** The broker on the test's journal (the same one again after a stop). */
    void startBroker() {
        broker = new EmbeddedBroker(new HubSettings.Broker(dir.resolve("broker"), 0, 0, 3, Duration.ZERO,
                Duration.ZERO), List.of("lancs-csc", "nhs-lsc"), id -> true, (who, what) -> { });
        broker.start();
    }

    PackageExpiry expiryOver(BrokerInbox over) {
        return new PackageExpiry(parts.registry, over, parts.audit, feed, LIMIT, clock);
    }

    /** Everything stopped (the broker is already down after a crash) and started again on the same files. */
    void restart() {
        feed.close();
        broker.close();
        startBroker();
        feed = parts.feed(broker);
        inbox = new BrokerInbox(broker.connectionFactory());
        expiry = expiryOver(inbox);
    }

    @AfterEach
    void stop() {
        if (feed != null) {
            feed.close();
        }
        broker.close();
        parts.close();
    }

    /** A routed submission as the router leaves it: the registry's record and one package per recipient queued. */
    String routed(String... recipients) throws Exception {
        String submissionId = UUID.randomUUID().toString();
        parts.registry.reserve(new Receipt(PARTNER, submissionId, UUID.randomUUID().toString(), clock.instant(), "aa"));
        parts.registry.setStatus(PARTNER, submissionId, org.safeguarding.hub.registry.SubmissionStatus.ROUTED);
        for (String r : recipients) {
            String packageId = UUID.randomUUID().toString();
            long before = queued(r);
            try (Connection c = broker.connectionFactory().createConnection();
                 Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                MessageProducer p = s.createProducer(s.createQueue(QueueNames.inbox(r)));
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(new byte[] {1, 2, 3});
                m.setStringProperty(QueueNames.PACKAGE_ID, packageId);
                m.setStringProperty(QueueNames.SUBMISSION_ID, submissionId);
                m.setStringProperty(QueueNames.ROUTED_AT, clock.instant().toString());
                p.send(m);
            }
            // the broker's count follows the send a moment later: a bounded poll, never a sleep
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (queued(r) <= before && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5));
            }
            parts.registry.recordDelivery(PARTNER, submissionId, r, packageId);
        }
        return submissionId;
    }

    List<SubmissionRecord.Delivery> deliveries(String submissionId) {
        return parts.registry.find(PARTNER, submissionId).orElseThrow().deliveries();
    }

    DeliveryState state(String submissionId, String recipient) {
        return deliveries(submissionId).stream().filter(d -> d.recipient().equals(recipient)).findFirst()
                .orElseThrow().state();
    }

    String packageOf(String submissionId, String recipient) {
        return deliveries(submissionId).stream().filter(d -> d.recipient().equals(recipient)).findFirst()
                .orElseThrow().packageId();
    }

    long queued(String recipient) {
        return broker.messageCount(QueueNames.inbox(recipient));
    }

    /** Waits until the feed has applied every step record on the broker: the registry and the trail are written. */
    void awaitRecorded() {
        Await.until("the audit queue to be applied", Duration.ofSeconds(30),
                () -> broker.messageCount(QueueNames.AUDIT) == 0);
    }

    /** The process dying at that instant: nothing after it runs (no rollback, no undo). */
    static final class ProcessDied extends Error {
        ProcessDied() {
            super("the process died here (test)");
        }
    }

    @Test
    void aPackageNoOlderThanTheLimitStays() throws Exception {
        String s = routed("lancs-csc");
        clock.advance(LIMIT);

        PackageExpiry.Run run = expiry.runOnce();

        assertThat(run.expired()).isZero();
        assertThat(queued("lancs-csc")).isEqualTo(1);
        assertThat(state(s, "lancs-csc")).isEqualTo(DeliveryState.DELIVERED);
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).isEmpty();
    }

    @Test
    void anOlderPackageLeavesTheInboxIsMarkedExpiredAndAuditedOnce() throws Exception {
        String old = routed("lancs-csc");
        clock.advance(Duration.ofDays(1));
        String young = routed("nhs-lsc");
        clock.advance(LIMIT.minus(Duration.ofDays(1)).plusSeconds(1));
        String packageId = packageOf(old, "lancs-csc");

        PackageExpiry.Run run = expiry.runOnce();
        awaitRecorded();

        assertThat(run.expired()).isEqualTo(1);
        assertThat(run.cutoff()).isEqualTo(clock.instant().minus(LIMIT));
        assertThat(queued("lancs-csc")).isZero();
        assertThat(parts.registry.pendingCount("lancs-csc")).isZero();
        assertThat(state(old, "lancs-csc")).isEqualTo(DeliveryState.EXPIRED);
        assertThat(queued("nhs-lsc")).isEqualTo(1);
        assertThat(state(young, "nhs-lsc")).isEqualTo(DeliveryState.DELIVERED);
        List<AuditEvent> expired = parts.events(AuditEventType.PACKAGE_EXPIRED);
        assertThat(expired).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo(AuditRecorder.HUB);
            assertThat(e.participant()).isEqualTo("lancs-csc");
            assertThat(e.packageId()).isEqualTo(packageId);
            assertThat(e.submissionId()).isEqualTo(old);
            assertThat(e.detail()).isEqualTo("partner=" + PARTNER + ";limit=" + LIMIT);
            assertThat(e.time()).isEqualTo(clock.instant());
        });

        assertThat(expiry.runOnce()).isEqualTo(new PackageExpiry.Run(clock.instant().minus(LIMIT), 0, 0, 0));
        awaitRecorded();
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).hasSize(1);
        assertThat(parts.auditTrail.verify().ok()).isTrue();
    }

    @Test
    void anAcknowledgedPackageIsNeverExpired() throws Exception {
        String s = routed("lancs-csc");
        String packageId = packageOf(s, "lancs-csc");
        // as the HTTPS ack does it: the record on the consume's session
        assertThat(inbox.acknowledge("lancs-csc", packageId, (entry, session) -> AuditOutbox.send(session,
                new StepRecord().audit(parts.audit.acknowledgedRecord("lancs-csc", entry.submissionId(), packageId,
                        "https")).change(new RegistryChange.PackageState(packageId, DeliveryState.ACKNOWLEDGED)))))
                .isPresent();
        awaitRecorded();
        clock.advance(LIMIT.multipliedBy(10));

        PackageExpiry.Run run = expiry.runOnce();

        assertThat(run).isEqualTo(new PackageExpiry.Run(clock.instant().minus(LIMIT), 0, 0, 0));
        assertThat(state(s, "lancs-csc")).isEqualTo(DeliveryState.ACKNOWLEDGED);
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).isEmpty();
    }

    @Test
    void aPackageAlreadyGoneFromTheQueueIsLeftAsItIs() throws Exception {
        String s = routed("lancs-csc");
        // taken between the registry query and the consume, its acknowledgement not yet recorded
        assertThat(inbox.acknowledge("lancs-csc", packageOf(s, "lancs-csc"))).isPresent();
        clock.advance(LIMIT.plusSeconds(1));

        PackageExpiry.Run run = expiry.runOnce();

        assertThat(run.expired()).isZero();
        assertThat(run.gone()).isEqualTo(1);
        assertThat(broker.messageCount(QueueNames.AUDIT)).as("nothing recorded").isZero();
        assertThat(state(s, "lancs-csc")).isEqualTo(DeliveryState.DELIVERED);
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).isEmpty();
    }

    @Test
    void theExpiryIsRecordedOnTheBrokerAndWrittenByTheFeedOnly() throws Exception {
        String s = routed("lancs-csc");
        clock.advance(LIMIT.plusSeconds(1));
        feed.close(); // nothing writes the registry or the trail now

        PackageExpiry.Run run = expiry.runOnce();

        assertThat(run.expired()).isEqualTo(1);
        assertThat(queued("lancs-csc")).isZero();
        assertThat(broker.messageCount(QueueNames.AUDIT)).as("the step's record, committed with the consume")
                .isEqualTo(1);
        assertThat(state(s, "lancs-csc")).as("not written directly").isEqualTo(DeliveryState.DELIVERED);
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).isEmpty();

        feed = parts.feed(broker);
        awaitRecorded();
        assertThat(state(s, "lancs-csc")).isEqualTo(DeliveryState.EXPIRED);
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).singleElement()
                .satisfies(e -> assertThat(e.packageId()).isEqualTo(packageOf(s, "lancs-csc")));
    }

    @Test
    void aFailedCommitLeavesThePackageUnrecordedAndTheNextRunExpiresIt() throws Exception {
        String s = routed("lancs-csc");
        clock.advance(LIMIT.plusSeconds(1));
        expiry = expiryOver(new BrokerInbox(CommitWatch.wrap(broker.connectionFactory(), n -> {
            if (n == 1) {
                throw new JMSException("the broker did not take the commit (test)");
            }
        }, n -> { })));

        PackageExpiry.Run first = expiry.runOnce();

        assertThat(first.failed()).isEqualTo(1);
        assertThat(first.expired()).isZero();
        assertThat(queued("lancs-csc")).isEqualTo(1);
        assertThat(broker.messageCount(QueueNames.AUDIT)).isZero();
        assertThat(state(s, "lancs-csc")).isEqualTo(DeliveryState.DELIVERED);
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).isEmpty();

        PackageExpiry.Run next = expiry.runOnce();
        awaitRecorded();

        assertThat(next.expired()).isEqualTo(1);
        assertThat(queued("lancs-csc")).isZero();
        assertThat(state(s, "lancs-csc")).isEqualTo(DeliveryState.EXPIRED);
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).hasSize(1);
    }

    @Test
    void aCrashBetweenTheConsumeAndTheCommitLeavesThePackageInTheInboxAndNothingRecorded() throws Exception {
        String s = routed("lancs-csc");
        String packageId = packageOf(s, "lancs-csc");
        clock.advance(LIMIT.plusSeconds(1));
        EmbeddedBroker crashing = broker;
        expiry = expiryOver(new BrokerInbox(CommitWatch.wrap(shortCalls(broker), n -> {
            crashing.stopAbruptly();
            throw new ProcessDied();
        }, n -> { })));

        assertThatThrownBy(() -> expiry.runOnce()).isInstanceOf(ProcessDied.class);
        restart();
        awaitRecorded();

        assertThat(queued("lancs-csc")).as("the package, still in the inbox").isEqualTo(1);
        assertThat(state(s, "lancs-csc")).as("the registry shows no expiry").isEqualTo(DeliveryState.DELIVERED);
        assertThat(parts.registry.isPending("lancs-csc", packageId)).isTrue();
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).as("nor does the trail").isEmpty();

        // the next run expires it, and both are recorded once
        assertThat(expiry.runOnce().expired()).isEqualTo(1);
        awaitRecorded();
        assertThat(queued("lancs-csc")).isZero();
        assertThat(state(s, "lancs-csc")).isEqualTo(DeliveryState.EXPIRED);
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).singleElement()
                .satisfies(e -> assertThat(e.packageId()).isEqualTo(packageId));
        assertThat(expiry.runOnce()).isEqualTo(new PackageExpiry.Run(clock.instant().minus(LIMIT), 0, 0, 0));
        awaitRecorded();
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).hasSize(1);
    }

    @Test
    void aCrashJustAfterTheCommitFindsBothRecordedOnceEvenWhenTheRecordIsReplayed() throws Exception {
        String s = routed("lancs-csc");
        String packageId = packageOf(s, "lancs-csc");
        clock.advance(LIMIT.plusSeconds(1));
        // the feed is not running: what the step recorded must be on the broker, in the same commit
        feed.close();
        EmbeddedBroker crashing = broker;
        expiry = expiryOver(new BrokerInbox(CommitWatch.wrap(shortCalls(broker), n -> { },
                n -> crashing.stopAbruptly())));

        expiry.runOnce(); // the commit went through; what the run says after the crash does not matter
        broker.close();
        startBroker();

        assertThat(queued("lancs-csc")).as("the consume committed").isZero();
        assertThat(broker.messageCount(QueueNames.AUDIT)).as("with the step's record").isEqualTo(1);
        // as a feed that crashed after writing the record and before acknowledging it would see it: twice
        byte[] record = takeOne(QueueNames.AUDIT);
        sendToAudit(record, 2);
        feed = parts.feed(broker);
        inbox = new BrokerInbox(broker.connectionFactory());
        expiry = expiryOver(inbox);
        awaitRecorded();

        assertThat(state(s, "lancs-csc")).isEqualTo(DeliveryState.EXPIRED);
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).singleElement()
                .satisfies(e -> assertThat(e.packageId()).isEqualTo(packageId));
        assertThat(expiry.runOnce()).isEqualTo(new PackageExpiry.Run(clock.instant().minus(LIMIT), 0, 0, 0));
        sendToAudit(record, 1);
        awaitRecorded();
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).hasSize(1);
        assertThat(parts.auditTrail.verify().ok()).isTrue();
    }

    /** The broker's own connections, whose calls give up after 2 s (not 30) once it is gone. */
    static jakarta.jms.ConnectionFactory shortCalls(EmbeddedBroker broker) {
        var cf = (org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory) broker.connectionFactory();
        cf.setCallTimeout(2_000);
        return cf;
    }

    /** Consumes the one message on {@code queue} and returns its body. */
    byte[] takeOne(String queue) throws Exception {
        try (Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            Message m = consumer.receive(10_000);
            assertThat(m).isInstanceOf(BytesMessage.class);
            return m.getBody(byte[].class);
        }
    }

    /** Puts a step record's bytes on the audit queue {@code times} times, as the outbox sends it. */
    void sendToAudit(byte[] record, int times) throws Exception {
        try (Connection c = broker.connectionFactory().createConnection();
             Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = session.createProducer(session.createQueue(QueueNames.AUDIT));
            for (int i = 0; i < times; i++) {
                BytesMessage m = session.createBytesMessage();
                m.writeBytes(record);
                p.send(m);
            }
        }
    }
}
