package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.intake.Digests;
import org.safeguarding.hub.registry.Receipt;
import org.safeguarding.hub.registry.SubmissionStatus;
import org.safeguarding.hub.testing.RealParts;

/**
 * A lasting failure in routing (a {@link org.safeguarding.hub.error.HubException} from the
 * router) sends the original, still-sealed message to {@code hub.quarantine}, records why, and
 * delivers nothing to any inbox; the intake message is consumed, not retried.
 */
class RoutingQuarantineTest {
    @TempDir
    Path dir;
    RealParts parts;
    RoutingHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
        if (parts != null) {
            parts.close();
        }
    }

    void start(Path certificateDir) throws Exception {
        parts = new RealParts(dir.resolve("db"),
                Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
        harness = new RoutingHarness(dir, parts, parts.router(certificateDir));
        harness.camel.start();
    }

    /** A copy of the test PKI's participant certificates without {@code missing}'s. */
    Path certificatesWithout(String missing) throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        try (Stream<Path> s = Files.list(TestPki.ec().dir())) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".pem")).toList()) {
                if (!p.getFileName().toString().equals(missing + ".pem")) {
                    Files.copy(p, certs.resolve(p.getFileName()));
                }
            }
        }
        return certs;
    }

    @Test
    void aRecipientWithoutACertificateQuarantinesTheSealedSubmissionAndDeliversNothing() throws Exception {
        start(certificatesWithout("mash-bpl"));
        byte[] json = parts.submission("C01-police-cce-blackpool.json");
        String submissionId = RealParts.submissionIdOf(json);
        byte[] sealed = parts.seal(json, "lancs-police");
        var queued = RoutingHarness.Queued.of("lancs-police", submissionId, parts.now(), sealed);
        parts.registry.reserve(new Receipt("lancs-police", submissionId, queued.receiptId(), parts.now(), "digest"));
        parts.registry.setStatus("lancs-police", submissionId, SubmissionStatus.ACCEPTED);
        NotifyBuilder done = harness.routing().whenDone(1).create();

        harness.enqueue(queued);

        assertThat(done.matches(30, TimeUnit.SECONDS)).as("routing finished").isTrue();
        harness.awaitSettled(1);
        List<Message> quarantined = harness.drain(QueueNames.QUARANTINE);
        assertThat(quarantined).hasSize(1);
        Message q = quarantined.get(0);
        assertThat(q.getStringProperty(QueueNames.QUARANTINE_REASON)).isEqualTo("NO_RECIPIENT_CERTIFICATE");
        assertThat(q.getStringProperty(QueueNames.RECEIPT_ID)).isEqualTo(queued.receiptId());
        assertThat(q.getStringProperty(QueueNames.SUBMISSION_ID)).isEqualTo(submissionId);
        assertThat(body(q)).as("the original sealed bytes").isEqualTo(sealed);
        // police-fib's package was sealable, but nothing is half-delivered
        assertThat(harness.count(QueueNames.inbox("police-fib"))).isZero();
        assertThat(harness.count(QueueNames.inbox("mash-bpl"))).isZero();
        assertThat(harness.count(QueueNames.INTAKE)).isZero();
        assertThat(harness.count(QueueNames.DEAD_LETTER)).isZero();
        assertThat(parts.registry.find("lancs-police", submissionId)).hasValueSatisfying(
                r -> assertThat(r.status()).isEqualTo(SubmissionStatus.FAILED));
        List<AuditEvent> events = parts.events(AuditEventType.SUBMISSION_QUARANTINED);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.reasonCode()).isEqualTo("NO_RECIPIENT_CERTIFICATE");
            assertThat(e.submissionId()).isEqualTo(submissionId);
            assertThat(e.participant()).isEqualTo("lancs-police");
            assertThat(e.receivedDigest()).isEqualTo(Digests.sha256Hex(sealed));
        });
        assertThat(parts.events(AuditEventType.SUBMISSION_ROUTED)).isEmpty();
        assertThat(parts.events(AuditEventType.PACKAGE_DELIVERED)).isEmpty();
    }

    /** A short text, and random bytes over the broker's large-message threshold (spooled, quarantined from the file). */
    @ParameterizedTest
    @ValueSource(ints = {0, 2 * 1024 * 1024 + 3})
    void anEnvelopeTheHubCannotOpenIsQuarantinedWholeAsUndecryptable(int randomBytes) throws Exception {
        start(TestPki.ec().dir());
        byte[] garbage = "not a CMS envelope".getBytes(StandardCharsets.UTF_8);
        if (randomBytes > 0) {
            garbage = new byte[randomBytes];
            new java.util.Random(5).nextBytes(garbage);
        }
        var queued = RoutingHarness.Queued.of("lancs-police", "7a0b4c1e-0000-4000-8000-000000000001", parts.now(),
                garbage);
        NotifyBuilder done = harness.routing().whenDone(1).create();

        harness.enqueue(queued);

        assertThat(done.matches(30, TimeUnit.SECONDS)).as("routing finished").isTrue();
        harness.awaitSettled(1);
        List<Message> quarantined = harness.drain(QueueNames.QUARANTINE);
        assertThat(quarantined).hasSize(1);
        assertThat(quarantined.get(0).getStringProperty(QueueNames.QUARANTINE_REASON)).isEqualTo("UNDECRYPTABLE");
        assertThat(quarantined.get(0).getStringProperty(QueueNames.RECEIPT_ID)).isEqualTo(queued.receiptId());
        assertThat(body(quarantined.get(0))).as("the original sealed bytes").isEqualTo(garbage);
        assertThat(harness.count(QueueNames.INTAKE)).isZero();
        assertThat(harness.count(QueueNames.DEAD_LETTER)).as("a lasting failure is not retried").isZero();
        assertThat(harness.intakeKilled()).isZero();
        assertThat(parts.events(AuditEventType.SUBMISSION_QUARANTINED)).singleElement().satisfies(e -> {
            assertThat(e.reasonCode()).isEqualTo("UNDECRYPTABLE");
            assertThat(e.receivedDigest()).isEqualTo(Digests.sha256Hex(queued.sealed()));
        });
        assertThat(RoutingHarness.spooled(parts)).as("spool files are deleted with the exchange").isEmpty();
    }

    static byte[] body(Message m) throws Exception {
        BytesMessage b = (BytesMessage) m;
        byte[] out = new byte[(int) b.getBodyLength()];
        b.readBytes(out);
        return out;
    }
}
