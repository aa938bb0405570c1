package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.intake.SubmissionOpener;
import org.safeguarding.hub.spool.SealedBody;
import org.safeguarding.hub.testing.RealParts;

/**
 * Within one run routing takes the content intake verified and handed off, and opens no envelope: a message whose
 * body is another submission's envelope is routed as the submission intake verified. A hand-off under another key
 * (an earlier run, as after a restart) is passed over: the envelope is opened and decides, here refusing a body that is
 * not the content intake verified.
 */
class HandOffRoutingTest {
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

    /** C01 as intake opened it (its digest and hand-off), queued with C06's envelope as its body. */
    private RoutingHarness.Queued queueWithAnotherEnvelope(java.util.function.UnaryOperator<SubmissionOpener.HandedOff>
                                                               handOff) throws Exception {
        parts = RoutingHarness.fixedClockParts(dir);
        harness = new RoutingHarness(dir, parts, parts.router());
        byte[] c01 = parts.submission("C01-police-cce-blackpool.json");
        byte[] other = parts.seal(parts.submission("C06-police-trafficking-placed-child.json"), "lancs-police");
        SubmissionOpener.Opened opened = parts.submissions.open(SealedBody.of(parts.seal(c01, "lancs-police")),
                "lancs-police", parts.now());
        assertThat(opened.handedOff().sealed()).as("a small submission is handed off").isNotNull();
        String submissionId = RealParts.submissionIdOf(c01);
        RoutingHarness.Queued q = RoutingHarness.Queued.of("lancs-police", submissionId, parts.now(), other);
        parts.registry.reserve(new org.safeguarding.hub.registry.Receipt("lancs-police", submissionId, q.receiptId(),
                parts.now(), "digest"));
        harness.enqueue(q, QueueNames.intakeDuplicateId("lancs-police", submissionId), opened.contentDigest(),
                handOff.apply(opened.handedOff()));
        harness.camel.start();
        harness.awaitSettled(1);
        return q;
    }

    @Test
    void withinARunRoutingTakesWhatIntakeHandedOffAndOpensNoEnvelope() throws Exception {
        RoutingHarness.Queued q = queueWithAnotherEnvelope(h -> h);

        List<Message> police = harness.drain(QueueNames.inbox("police-fib"));
        assertThat(police).singleElement().satisfies(m ->
                assertThat(m.getStringProperty(QueueNames.SUBMISSION_ID)).isEqualTo(q.submissionId()));
        assertThat(harness.drain(QueueNames.QUARANTINE)).isEmpty();
        assertThat(parts.events(AuditEventType.SUBMISSION_ROUTED)).hasSize(1);
    }

    @Test
    void aHandOffUnderAnotherRunsKeyIsPassedOverAndTheEnvelopeDecides() throws Exception {
        queueWithAnotherEnvelope(h -> new SubmissionOpener.HandedOff("0".repeat(32), h.sealed()));

        assertThat(harness.drain(QueueNames.inbox("police-fib"))).isEmpty();
        assertThat(harness.drain(QueueNames.QUARANTINE)).singleElement().satisfies(m ->
                assertThat(m.getStringProperty(QueueNames.QUARANTINE_REASON)).isEqualTo("UNDECRYPTABLE"));
    }

    @Test
    void aHandOffThatDoesNotOpenIsPassedOverToo() throws Exception {
        queueWithAnotherEnvelope(h -> new SubmissionOpener.HandedOff(h.keyId(),
                java.util.Base64.getEncoder().encodeToString(new byte[64])));

        assertThat(harness.drain(QueueNames.QUARANTINE)).singleElement().satisfies(m ->
                assertThat(m.getStringProperty(QueueNames.QUARANTINE_REASON)).isEqualTo("UNDECRYPTABLE"));
    }
}
