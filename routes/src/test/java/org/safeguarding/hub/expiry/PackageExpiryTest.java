package org.safeguarding.hub.expiry;

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
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.broker.BrokerInbox;
import org.safeguarding.hub.broker.EmbeddedBroker;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.Receipt;
import org.safeguarding.hub.registry.SubmissionRecord;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.testing.MutableClock;
import org.safeguarding.hub.testing.RealParts;

/**
 * Package expiry on real parts: an embedded broker on a journal in a temporary directory, the H2 registry and
 * audit trail, and a clock the test moves.
 */
class PackageExpiryTest {
    static final Duration LIMIT = Duration.ofDays(5);
    static final String PARTNER = "lancs-police";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    RealParts parts;
    EmbeddedBroker broker;
    BrokerInbox inbox;
    PackageExpiry expiry;

    @BeforeEach
    void start() {
        parts = new RealParts(dir, clock);
        broker = new EmbeddedBroker(new HubSettings.Broker(dir.resolve("broker"), 0, 0, 3, Duration.ZERO,
                Duration.ZERO), List.of("lancs-csc", "nhs-lsc"), id -> true, (who, what) -> { });
        broker.start();
        inbox = new BrokerInbox(broker.connectionFactory());
        expiry = new PackageExpiry(parts.registry, inbox, parts.audit, LIMIT, clock);
    }

    @AfterEach
    void stop() {
        expiry.close();
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

        assertThat(expiry.runOnce().expired()).isZero();
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).hasSize(1);
        assertThat(parts.auditTrail.verify().ok()).isTrue();
    }

    @Test
    void anAcknowledgedPackageIsNeverExpired() throws Exception {
        String s = routed("lancs-csc");
        String packageId = packageOf(s, "lancs-csc");
        // as the HTTPS ack does it
        assertThat(inbox.acknowledge("lancs-csc", packageId, (entry, session) -> {
            parts.registry.setDeliveryState(packageId, DeliveryState.ACKNOWLEDGED);
            parts.audit.append(java.util.List.of(
                    parts.audit.acknowledgedRecord("lancs-csc", entry.submissionId(), packageId, "https")));
        })).isPresent();
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
        assertThat(state(s, "lancs-csc")).isEqualTo(DeliveryState.DELIVERED);
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).isEmpty();
    }

    @Test
    void whenTheExpiryCannotBeAuditedThePackageStaysDelivered() throws Exception {
        String s = routed("lancs-csc");
        clock.advance(LIMIT.plusSeconds(1));
        parts.auditTrail.close();

        PackageExpiry.Run run = expiry.runOnce();

        assertThat(run.failed()).isEqualTo(1);
        assertThat(run.expired()).isZero();
        assertThat(queued("lancs-csc")).isEqualTo(1);
        assertThat(state(s, "lancs-csc")).isEqualTo(DeliveryState.DELIVERED);
    }
}
