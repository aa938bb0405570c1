package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.registry.SubmissionStatus;
import org.safeguarding.hub.testing.RealParts;

/**
 * A submission that fails every attempt (a passing failure that never passes) is not left
 * unaccounted for on the dead-letter queue: it is quarantined, still sealed, the partner's
 * status says FAILED, and the trail says why.
 */
class DeadLetterRouteTest {
    @TempDir
    Path dir;
    RealParts parts;
    RoutingHarness harness;

    @BeforeEach
    void start() throws Exception {
        parts = new RealParts(dir.resolve("db"),
                Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
        SubmissionRouter router = parts.router();
        harness = new RoutingHarness(dir, parts, router);
        harness.camel.addRoutes(new DeadLetterRoute(router));
        AdviceWith.adviceWith(harness.camel, "routing", a -> a.weaveById("routing-step").before()
                .process(DeadLetterRouteTest::alwaysFail));
        harness.camel.start();
    }

    static void alwaysFail(Exchange exchange) {
        throw new IllegalStateException("a passing failure that never passes");
    }

    @AfterEach
    void stop() {
        harness.close();
        parts.close();
    }

    @Test
    void aSubmissionThatNeverRoutesIsQuarantinedAndRecorded() throws Exception {
        NotifyBuilder deadLettered = new NotifyBuilder(harness.camel).fromRoute("dead-letters").whenCompleted(1)
                .create();

        String submissionId = harness.enqueueReservedC01();

        assertThat(deadLettered.matches(60, TimeUnit.SECONDS)).as("taken from the dead-letter queue").isTrue();
        harness.awaitCount(QueueNames.QUARANTINE, 1);
        harness.awaitRecorded();
        assertThat(harness.count(QueueNames.DEAD_LETTER)).isZero();
        assertThat(harness.count(QueueNames.inbox("police-fib"))).isZero();
        assertThat(parts.events(AuditEventType.SUBMISSION_QUARANTINED)).singleElement().satisfies(e -> {
            assertThat(e.reasonCode()).isEqualTo(DeadLetterRoute.REASON);
            assertThat(e.submissionId()).isEqualTo(submissionId);
        });
        assertThat(parts.registry.find("lancs-police", submissionId)).hasValueSatisfying(
                r -> assertThat(r.status()).isEqualTo(SubmissionStatus.FAILED));
    }

    @Test
    void aLargeSubmissionThatNeverRoutesIsQuarantinedWhole() throws Exception {
        NotifyBuilder deadLettered = new NotifyBuilder(harness.camel).fromRoute("dead-letters").whenCompleted(1)
                .create();

        var queued = harness.enqueueReserved(RoutingHarness.c01WithAttachment(parts, 1024 * 1024, 3));

        assertThat(deadLettered.matches(60, TimeUnit.SECONDS)).as("taken from the dead-letter queue").isTrue();
        harness.awaitCount(QueueNames.QUARANTINE, 1);
        harness.awaitRecorded();
        java.util.List<jakarta.jms.Message> quarantined = harness.drain(QueueNames.QUARANTINE);
        assertThat(quarantined).hasSize(1);
        assertThat(quarantined.get(0).getStringProperty(QueueNames.QUARANTINE_REASON)).isEqualTo(DeadLetterRoute.REASON);
        assertThat(RoutingQuarantineTest.body(quarantined.get(0))).as("the original sealed bytes")
                .isEqualTo(queued.sealed());
        assertThat(parts.events(AuditEventType.SUBMISSION_QUARANTINED)).singleElement()
                .satisfies(e -> assertThat(e.receivedDigest()).isEqualTo(
                        org.safeguarding.hub.intake.Digests.sha256Hex(queued.sealed())));
        assertThat(RoutingHarness.spooled(parts)).as("spool files are deleted with each exchange").isEmpty();
    }
}
