package org.safeguarding.hub.auditing;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
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
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.audit.AuditRecord;
import org.safeguarding.hub.broker.EmbeddedBroker;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.registry.RegistryProjection;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.testing.MutableClock;
import org.safeguarding.hub.testing.RealParts;

/**
 * Two hub nodes' audit feeds on one broker, as on a cluster: the audit queue is exclusive, so one feed writes at a
 * time, in order; a step whose answer waits on the other node is told applied by the feed that applied it; and when
 * the writing node goes, the other node's feed takes the queue over.
 */
class SharedAuditFeedTest {
    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    RealParts parts;
    EmbeddedBroker broker;
    AuditFeed first;
    AuditFeed second;

    @BeforeEach
    void start() {
        parts = new RealParts(dir, clock);
        broker = new EmbeddedBroker(new HubSettings.Broker(dir.resolve("broker"), -1, -1, 3, Duration.ZERO,
                Duration.ZERO), List.of("lancs-csc"), id -> true, (who, what) -> { });
        broker.start();
    }

    AuditFeed feed() {
        return new AuditFeed(broker.connectionFactory(), parts.auditTrail,
                new RegistryProjection(parts.registryDataSource(), clock), clock,
                () -> broker.messageCount(QueueNames.AUDIT)).sharingApplied().start();
    }

    @AfterEach
    void stop() {
        for (AuditFeed f : new AuditFeed[] {second, first}) {
            if (f != null) {
                f.close();
            }
        }
        broker.close();
        parts.close();
    }

    /** Sends a step record with one audit event, as a step commits it, and returns its id. */
    String send(StepRecord step) throws Exception {
        try (Connection c = broker.connectionFactory().createConnection();
             Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
            MessageProducer p = s.createProducer(s.createQueue(QueueNames.AUDIT));
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(AuditOutbox.body(step));
            m.setStringProperty(QueueNames.STEP_ID, step.id());
            p.send(m);
            s.commit();
        }
        return step.id();
    }

    static StepRecord step() {
        return new StepRecord().audit(AuditRecord.builder(AuditEventType.SUBMISSION_ACCEPTED, "lancs-police")
                .key("accepted:" + UUID.randomUUID()).submissionId(UUID.randomUUID().toString()).build());
    }

    @Test
    void oneFeedWritesAtATimeTellsTheOtherNodeAndHandsOverWhenItGoes() throws Exception {
        first = feed();
        StepRecord a = step();
        AuditFeed.Applied waitA = first.expect(a.id());
        send(a);
        assertThat(waitA.await(Duration.ofSeconds(10))).as("the first feed applies its own step").isTrue();

        second = feed(); // a second node: its feed waits behind the first on the exclusive queue
        for (int i = 0; i < 20; i++) {
            StepRecord b = step();
            AuditFeed.Applied waitB = second.expect(b.id());
            send(b);
            assertThat(waitB.await(Duration.ofSeconds(4))).as("the second node's answer is told applied").isTrue();
        }
        assertThat(first.appliedCount()).isEqualTo(21);
        assertThat(second.appliedCount()).as("only one writer at a time").isZero();
        assertThat(second.appliedElsewhere()).isEqualTo(20);

        first.close(); // the writing node goes
        first = null;
        StepRecord c = step();
        AuditFeed.Applied waitC = second.expect(c.id());
        send(c);
        assertThat(waitC.await(Duration.ofSeconds(10))).as("the second feed takes the queue over").isTrue();
        assertThat(second.appliedCount()).isEqualTo(1);
        assertThat(parts.auditTrail.find(new AuditQuery(null, null, AuditEventType.SUBMISSION_ACCEPTED, null, null,
                null, 0))).hasSize(22);
    }
}
