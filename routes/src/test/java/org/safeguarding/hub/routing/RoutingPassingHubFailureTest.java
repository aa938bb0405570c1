package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.registry.Receipt;
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
    final AtomicInteger attempts = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        parts = new RealParts(dir.resolve("db"),
                Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
        harness = new RoutingHarness(dir, parts, parts.router());
        AdviceWith.adviceWith(harness.camel, "routing", a -> a.weaveById("routing-record").before()
                .process(this::registryHiccup));
        harness.camel.start();
    }

    void registryHiccup(Exchange exchange) {
        if (attempts.incrementAndGet() == 1) {
            // what SubmissionRegistry.recordDelivery throws on any SQLException (e.g. pool timeout)
            throw new HubException(ErrorCode.UNAVAILABLE, "The submission registry is not reachable now.");
        }
    }

    @AfterEach
    void stop() {
        harness.close();
        parts.close();
    }

    @Test
    void aPassingHubFailureRollsBackAndTheRetryRecordsEverything() throws Exception {
        byte[] json = parts.submission("C01-police-cce-blackpool.json");
        String submissionId = RealParts.submissionIdOf(json);
        var queued = RoutingHarness.Queued.of("lancs-police", submissionId, parts.now(),
                parts.seal(json, "lancs-police"));
        parts.registry.reserve(new Receipt("lancs-police", submissionId, queued.receiptId(), parts.now(), "digest"));
        NotifyBuilder twoAttempts = harness.routing().whenDone(2).create();

        harness.enqueue(queued);

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
