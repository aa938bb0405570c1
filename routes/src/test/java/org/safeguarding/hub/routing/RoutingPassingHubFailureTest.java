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
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.registry.SubmissionStatus;
import org.safeguarding.hub.testing.RealParts;

/**
 * A passing HubException (UNAVAILABLE: the registry briefly unreachable) after the packages were
 * sent must roll the transaction back, not quarantine the submission while the packages go out
 * unrecorded. The retry delivers each package once, with every event recorded.
 */
class RoutingPassingHubFailureTest {
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
                // what SubmissionRegistry.recordDelivery throws on any SQLException (e.g. pool timeout)
                throw new HubException(ErrorCode.UNAVAILABLE, "The submission registry is not reachable now.");
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
    void aPassingHubFailureRollsBackAndTheRetryRecordsEverything() throws Exception {
        NotifyBuilder twoAttempts = harness.routing().whenDone(2).create();

        String submissionId = harness.enqueueReservedC01();

        assertThat(twoAttempts.matches(30, TimeUnit.SECONDS)).as("retried").isTrue();
        harness.awaitSettled(1);
        harness.awaitCount(QueueNames.inbox("police-fib"), 1);
        harness.awaitCount(QueueNames.inbox("mash-bpl"), 1);
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(harness.count(QueueNames.QUARANTINE)).isZero();
        assertThat(parts.events(AuditEventType.SUBMISSION_QUARANTINED)).isEmpty();
        assertThat(parts.events(AuditEventType.SUBMISSION_ROUTED)).hasSize(1);
        assertThat(parts.events(AuditEventType.PACKAGE_DELIVERED)).hasSize(2);
        assertThat(parts.registry.find("lancs-police", submissionId)).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(SubmissionStatus.ROUTED);
            assertThat(r.deliveries()).hasSize(2);
        });
    }
}
