package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.registry.Receipt;
import org.safeguarding.hub.testing.RealParts;

/**
 * Replays are harmless: the broker's duplicate detection keyed on submission and recipient
 * keeps a second routing of the same submission from creating a second package, and the
 * intake queue's own key keeps a second copy of an accepted submission from being routed.
 */
class RoutingReplayTest {
    @TempDir
    Path dir;
    RealParts parts;
    RoutingHarness harness;
    RoutingHarness.Queued queued;

    @BeforeEach
    void start() throws Exception {
        parts = new RealParts(dir.resolve("db"),
                Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
        harness = new RoutingHarness(dir, parts, parts.router());
        byte[] json = parts.submission("C01-police-cce-blackpool.json");
        String submissionId = RealParts.submissionIdOf(json);
        queued = RoutingHarness.Queued.of("lancs-police", submissionId, parts.now(), parts.seal(json, "lancs-police"));
        parts.registry.reserve(new Receipt("lancs-police", submissionId, queued.receiptId(), parts.now(), "digest"));
    }

    @AfterEach
    void stop() {
        harness.close();
        parts.close();
    }

    void routeOnce(int nth) throws Exception {
        NotifyBuilder done = harness.routing().whenDone(1).create();
        harness.enqueue(queued, null);
        assertThat(done.matches(30, TimeUnit.SECONDS)).as("routing " + nth + " finished").isTrue();
        harness.awaitSettled(nth);
    }

    @Test
    void routingTheSameSubmissionAgainCreatesNoSecondPackage() throws Exception {
        harness.camel.start();
        routeOnce(1);
        harness.awaitCount(QueueNames.inbox("police-fib"), 1);
        harness.awaitCount(QueueNames.inbox("mash-bpl"), 1);

        routeOnce(2);

        assertThat(harness.count(QueueNames.inbox("police-fib"))).isEqualTo(1);
        assertThat(harness.count(QueueNames.inbox("mash-bpl"))).isEqualTo(1);
        assertThat(harness.count(QueueNames.QUARANTINE)).isZero();
        // the audit trail's keys make the replay add no second set of events
        assertThat(parts.events(AuditEventType.SUBMISSION_ROUTED)).hasSize(1);
        assertThat(parts.events(AuditEventType.PACKAGE_DELIVERED)).hasSize(2);
    }

    @Test
    void aReplayIsAbsorbedRatherThanRetriedIntoTheDeadLetterQueue() throws Exception {
        harness.camel.start();
        routeOnce(1);

        routeOnce(2);

        assertThat(harness.intakeKilled()).as("replays sent to the dead-letter queue").isZero();
        assertThat(harness.count(QueueNames.DEAD_LETTER)).isZero();
    }

    @Test
    void aSecondCopyOfAnAcceptedSubmissionIsDroppedByTheIntakeQueue() throws Exception {
        harness.enqueue(queued);
        harness.enqueue(queued);

        assertThat(harness.count(QueueNames.INTAKE)).isEqualTo(1);
        NotifyBuilder done = harness.routing().whenDone(1).create();
        harness.camel.start();
        assertThat(done.matches(30, TimeUnit.SECONDS)).isTrue();
        harness.awaitSettled(1);
        harness.awaitCount(QueueNames.inbox("police-fib"), 1);
        assertThat(harness.count(QueueNames.INTAKE)).isZero();
    }
}
