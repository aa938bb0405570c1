package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.testing.CommitWatch;
import org.safeguarding.hub.testing.RealParts;

/**
 * The routing step is one broker transaction, really one: the broker is stopped as a crash would stop it, once just
 * before the step's commit and once just after the first commit the routing consumer makes, and what the journal holds
 * when it starts again is counted by consuming. Before: the submission, and nothing sent. After: every package and the
 * step's record, and no submission. A consume committed apart from its sends (a transaction manager binding a second
 * session) would leave, after that first commit, no submission and no package.
 */
class RoutingAtomicityTest {
    @TempDir
    Path dir;
    RealParts parts;
    RoutingHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
        parts.close();
    }

    @Test
    void aCrashBetweenTheSendsAndTheCommitLeavesTheSubmissionWholeAndNothingSent() throws Exception {
        parts = RoutingHarness.fixedClockParts(dir);
        CountDownLatch crashed = new CountDownLatch(1);
        RoutingHarness[] h = new RoutingHarness[1];
        harness = h[0] = new RoutingHarness(dir, parts, parts.router(), cf -> cf, () -> {
            if (crashed.getCount() == 1) {
                h[0].broker.stopAbruptly();
                crashed.countDown();
                throw new IllegalStateException("the process died here (test)");
            }
        });
        String submissionId = harness.enqueueReservedC01();
        harness.camel.start();
        assertThat(crashed.await(30, TimeUnit.SECONDS)).isTrue();
        harness.close();

        harness = new RoutingHarness(dir, parts, parts.router());
        assertThat(harness.drain(QueueNames.inbox("police-fib"))).as("nothing sent").isEmpty();
        assertThat(harness.drain(QueueNames.inbox("mash-bpl"))).isEmpty();
        assertThat(harness.count(QueueNames.AUDIT)).as("no record of a step that did not commit").isZero();
        assertThat(harness.count(QueueNames.INTAKE)).as("the submission, to replay").isEqualTo(1);

        // the replay routes it whole, once
        harness.camel.start();
        harness.awaitSettled(1);
        assertThat(harness.drain(QueueNames.inbox("police-fib"))).singleElement()
                .satisfies(m -> assertThat(m.getStringProperty(QueueNames.SUBMISSION_ID)).isEqualTo(submissionId));
        assertThat(harness.drain(QueueNames.inbox("mash-bpl"))).hasSize(1);
        assertThat(parts.events(AuditEventType.SUBMISSION_ROUTED)).hasSize(1);
        assertThat(parts.events(AuditEventType.PACKAGE_DELIVERED)).hasSize(2);
    }

    @Test
    void aCrashJustAfterTheFirstCommitOfTheRoutingConsumerFindsEverythingCommitted() throws Exception {
        parts = RoutingHarness.fixedClockParts(dir);
        CountDownLatch crashed = new CountDownLatch(1);
        RoutingHarness[] h = new RoutingHarness[1];
        harness = h[0] = new RoutingHarness(dir, parts, parts.router(), cf -> CommitWatch.wrap(cf, n -> {
            if (n == 1) {
                h[0].broker.stopAbruptly();
                crashed.countDown();
            }
        }), CrashPoint.NONE);
        // the feed is not running: what the step recorded must be on the broker, in the same commit
        harness.feed.close();
        String submissionId = harness.enqueueReservedC01();
        harness.camel.start();
        assertThat(crashed.await(30, TimeUnit.SECONDS)).isTrue();
        harness.close();

        harness = new RoutingHarness(dir, parts, parts.router());
        Await.until("the restarted feed to apply the step's record", Duration.ofSeconds(30),
                () -> harness.count(QueueNames.AUDIT) == 0);
        assertThat(harness.count(QueueNames.INTAKE)).as("the consume committed").isZero();
        assertThat(harness.drain(QueueNames.inbox("police-fib"))).as("with the packages").singleElement()
                .satisfies(m -> assertThat(m.getStringProperty(QueueNames.SUBMISSION_ID)).isEqualTo(submissionId));
        assertThat(harness.drain(QueueNames.inbox("mash-bpl"))).hasSize(1);
        assertThat(parts.events(AuditEventType.SUBMISSION_ROUTED)).as("and the record").hasSize(1);
        assertThat(parts.events(AuditEventType.PACKAGE_DELIVERED)).hasSize(2);
    }
}
