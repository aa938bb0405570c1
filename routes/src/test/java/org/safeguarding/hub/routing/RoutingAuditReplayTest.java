package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.testing.RealParts;

/**
 * A crash after the audit events are written but before the broker commits: the submission is
 * replayed, and the replay neither loses an event nor writes one twice (idempotent event keys).
 */
class RoutingAuditReplayTest {
    @TempDir
    Path dir;
    RealParts parts;
    RoutingHarness harness;
    AtomicInteger attempts;

    @BeforeEach
    void start() throws Exception {
        parts = RoutingHarness.fixedClockParts(dir);
        harness = new RoutingHarness(dir, parts, parts.router());
        attempts = harness.adviseRouting("routing-step", true, (attempt, exchange) -> {
            if (attempt == 1) {
                throw new IllegalStateException("a crash after the audit write, before the commit");
            }
        });
        harness.camel.start();
    }

    @AfterEach
    void stop() {
        harness.close();
        parts.close();
    }

    @Test
    void theReplayWritesEveryEventOnce() throws Exception {
        NotifyBuilder twoAttempts = harness.routing().whenDone(2).create();

        harness.enqueueReservedC01();

        assertThat(twoAttempts.matches(30, TimeUnit.SECONDS)).as("the submission was replayed").isTrue();
        harness.awaitSettled(1);
        assertThat(attempts.get()).isEqualTo(2);
        harness.awaitCount(QueueNames.inbox("police-fib"), 1);
        harness.awaitCount(QueueNames.inbox("mash-bpl"), 1);
        assertThat(parts.events(AuditEventType.SUBMISSION_OPENED)).hasSize(1);
        assertThat(parts.events(AuditEventType.DECISION)).hasSize(10);
        assertThat(parts.events(AuditEventType.REDACTED)).hasSize(2);
        assertThat(parts.events(AuditEventType.PACKAGE_DELIVERED)).hasSize(2);
        assertThat(parts.events(AuditEventType.SUBMISSION_ROUTED)).hasSize(1);
    }
}
