package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.registry.Receipt;
import org.safeguarding.hub.registry.SubmissionStatus;
import org.safeguarding.hub.testing.RealParts;

/**
 * A passing failure (any exception that is not a HubException) after the packages were sent
 * rolls the whole broker transaction back: the packages of the failed attempt never become
 * visible, the submission is redelivered, and each recipient ends with exactly one package.
 */
class RoutingRedeliveryTest {
    @TempDir
    Path dir;
    RealParts parts;
    RoutingHarness harness;
    final AtomicInteger attempts = new AtomicInteger();
    /** Inbox counts seen at the moment of the injected failure, packages already sent but not committed. */
    final List<Long> visibleAtFailure = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        parts = RoutingHarness.fixedClockParts(dir);
        harness = new RoutingHarness(dir, parts, parts.router());
        harness.adviseRouting("routing-step", true, (attempt, exchange) -> failTheFirstAttempt(exchange));
        harness.camel.start();
    }

    void failTheFirstAttempt(Exchange exchange) {
        if (attempts.incrementAndGet() == 1) {
            // watch the inboxes for half a second: a send outside the transaction would show by then
            long most = 0;
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < until) {
                most = Math.max(most, harness.count(QueueNames.inbox("police-fib"))
                        + harness.count(QueueNames.inbox("mash-bpl")));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            visibleAtFailure.add(most);
            throw new IllegalStateException("a passing failure, once");
        }
    }

    @AfterEach
    void stop() {
        harness.close();
        parts.close();
    }

    @Test
    void theTransactionRollsBackAndTheRedeliveryDeliversEachPackageExactlyOnce() throws Exception {
        byte[] json = parts.submission("C01-police-cce-blackpool.json");
        String submissionId = RealParts.submissionIdOf(json);
        var queued = RoutingHarness.Queued.of("lancs-police", submissionId, parts.now(),
                parts.seal(json, "lancs-police"));
        parts.registry.reserve(new Receipt("lancs-police", submissionId, queued.receiptId(), parts.now(), "digest"));
        NotifyBuilder failed = harness.routing().whenFailed(1).create();
        NotifyBuilder twoAttempts = harness.routing().whenDone(2).create();

        harness.enqueue(queued);

        assertThat(failed.matches(30, TimeUnit.SECONDS)).as("the first attempt failed").isTrue();
        assertThat(twoAttempts.matches(30, TimeUnit.SECONDS)).as("the submission was redelivered").isTrue();
        harness.awaitSettled(1);
        assertThat(harness.intakeKilled()).isZero();
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(visibleAtFailure).as("packages sent in the failed attempt were not yet visible").containsExactly(0L);
        harness.awaitCount(QueueNames.inbox("police-fib"), 1);
        harness.awaitCount(QueueNames.inbox("mash-bpl"), 1);
        for (String other : List.of("mash-bwd", "mash-lancs", "health-safeguarding", "education-bpl", "vcs-missing")) {
            assertThat(harness.count(QueueNames.inbox(other))).as(other).isZero();
        }
        assertThat(harness.count(QueueNames.INTAKE)).isZero();
        assertThat(harness.count(QueueNames.DEAD_LETTER)).isZero();
        assertThat(harness.count(QueueNames.QUARANTINE)).isZero();
        assertThat(harness.drain(QueueNames.inbox("mash-bpl")).get(0).getStringProperty(QueueNames.SUBMISSION_ID))
                .isEqualTo(submissionId);
        assertThat(parts.events(AuditEventType.SUBMISSION_ROUTED)).hasSize(1);
        assertThat(parts.events(AuditEventType.PACKAGE_DELIVERED)).hasSize(2);
        assertThat(parts.registry.find("lancs-police", submissionId)).hasValueSatisfying(
                r -> assertThat(r.status()).isEqualTo(SubmissionStatus.ROUTED));
    }
}
