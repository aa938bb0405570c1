package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.intake.ContentBudget;
import org.safeguarding.hub.intake.Digests;
import org.safeguarding.hub.testing.PackageSchema;
import org.safeguarding.hub.testing.RealParts;

/**
 * A submission over the broker's large-message threshold (its bulk in an attachment) is consumed by routing as a
 * stream into the spool, and its packages go out as large messages too: each recipient's package opens, verifies and
 * carries the attachment whole; the spool is empty once the transaction is done. A large one that can never be routed
 * is quarantined whole (RoutingQuarantineTest, DeadLetterRouteTest). That the whole path fits a small heap is
 * LargeSubmissionIT's to show.
 */
class RoutingLargeSubmissionTest {
    static final int ATTACHMENT_BYTES = 3 * 1024 * 1024;

    @TempDir
    Path dir;
    RealParts parts;
    RoutingHarness harness;

    @BeforeEach
    void start() throws Exception {
        parts = RoutingHarness.fixedClockParts(dir);
        // no waiting for the content budget: when it is taken, the attempt fails at once and the broker redelivers
        harness = new RoutingHarness(dir, parts, parts.router(parts.pki.dir(), parts.contentBudget, Duration.ZERO));
    }

    @AfterEach
    void stop() {
        harness.close();
        parts.close();
    }

    @Test
    void aLargeSubmissionIsRoutedWholeToEachRecipientAndLeavesNothingInTheSpool() throws Exception {
        byte[] json = RoutingHarness.c01WithAttachment(parts, ATTACHMENT_BYTES, 11);
        String base64 = RealParts.JSON.readTree(json).path("attachments").path(0).path("content").asText();
        harness.camel.start();
        NotifyBuilder done = harness.routing().whenCompleted(1).create();

        var queued = harness.enqueueReserved(json);

        assertThat(done.matches(60, TimeUnit.SECONDS)).as("routed").isTrue();
        harness.awaitSettled(1);
        for (String recipient : List.of("police-fib", "mash-bpl")) {
            List<Message> inbox = harness.drain(QueueNames.inbox(recipient));
            assertThat(inbox).as(recipient).hasSize(1);
            byte[] sealed = RoutingQuarantineTest.body(inbox.get(0));
            assertThat(sealed.length).isGreaterThan(ATTACHMENT_BYTES);
            var opened = new EnvelopeOpener(List.of(parts.pki.identity(recipient)), AlgorithmPolicy.defaults())
                    .open(sealed);
            JsonNode pkg = PackageSchema.read(opened.content());
            assertThat(pkg.path("recipient").asText()).isEqualTo(recipient);
            assertThat(pkg.path("submission").path("attachments").path(0).path("content").asText())
                    .as(recipient + " receives the attachment whole").isEqualTo(base64);
        }
        assertThat(parts.events(AuditEventType.SUBMISSION_ROUTED)).singleElement()
                .satisfies(e -> assertThat(e.receivedDigest()).isEqualTo(Digests.sha256Hex(queued.sealed())));
        assertThat(RoutingHarness.spooled(parts)).as("spool files are deleted with the exchange").isEmpty();
    }

    @Test
    void whileOtherContentHoldsTheMemoryBudgetRoutingWaitsForARedeliveryAndGivesItBack() throws Exception {
        ContentBudget budget = parts.contentBudget;
        ContentBudget.Permit others = budget.tryReserve(budget.totalKib() * 1024L, Duration.ZERO).orElseThrow();
        // the first attempt finds the budget taken; the other content is let go before the second
        var attempts = harness.adviseRouting("routing-step", false, (attempt, exchange) -> {
            if (attempt == 2) {
                others.close();
            }
        });
        harness.camel.start();
        NotifyBuilder done = harness.routing().whenCompleted(1).create();

        harness.enqueueReservedC01();

        assertThat(done.matches(60, TimeUnit.SECONDS)).as("routed").isTrue();
        harness.awaitSettled(1);
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(harness.count(QueueNames.inbox("police-fib"))).isEqualTo(1);
        assertThat(harness.count(QueueNames.QUARANTINE)).isZero();
        assertThat(budget.availableKib()).as("given back once routed").isEqualTo(budget.totalKib());
    }
}
