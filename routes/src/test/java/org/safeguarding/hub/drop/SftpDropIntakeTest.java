package org.safeguarding.hub.drop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.api.HubApiService;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.auditing.AuditFeed;
import org.safeguarding.hub.broker.EmbeddedBroker;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.http.Caller;
import org.safeguarding.hub.http.ProblemDocuments;
import org.safeguarding.hub.intake.IntakeAdmission;
import org.safeguarding.hub.intake.IntakeGateway;
import org.safeguarding.hub.intake.IntakeQueue;
import org.safeguarding.hub.intake.IntakeRoute;
import org.safeguarding.hub.intake.SubmissionIntake;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.sftp.DropAnswer;
import org.safeguarding.hub.spool.SealedBody;
import org.safeguarding.hub.testing.RealParts;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The SFTP drop's intake on the real intake route and broker, beside the HTTPS operation on the same intake port: a
 * dropped file gets the receipt document HTTPS answers, byte for byte, or the same problem document, and leaves the
 * same audit events; when the hub cannot store it the drop keeps it. The drop reaches intake without the HTTP API.
 */
class SftpDropIntakeTest {
    private static final org.safeguarding.hub.error.ProblemJson PROBLEMS =
            new org.safeguarding.hub.error.ProblemJson("https://hub.test");
    private static final String PARTNER = "lancs-police";

    @TempDir
    Path dir;
    RealParts parts;
    EmbeddedBroker broker;
    AuditFeed feed;
    CachingConnectionFactory sessions;
    CamelContext camel;
    final AtomicInteger brokerRefusals = new AtomicInteger();
    SftpDropIntake drop;
    HubApiService https;

    @BeforeEach
    void start() throws Exception {
        parts = new RealParts(dir.resolve("db"),
                Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
        broker = new EmbeddedBroker(new HubSettings.Broker(dir.resolve("broker"), 0, 0, 3, Duration.ZERO,
                Duration.ZERO), List.of("police-fib", "mash-bpl"), id -> true, (who, what) -> { });
        broker.start();
        feed = parts.feed(broker);
        sessions = new CachingConnectionFactory(broker.connectionFactory());
        IntakeAdmission admission = new IntakeAdmission(() -> broker.messageCount(QueueNames.INTAKE), 1000);
        SubmissionIntake intake = new SubmissionIntake(parts.submissions, parts.registry, parts.audit, parts.clock,
                1024 * 1024, parts.contentBudget, Duration.ZERO, admission);
        camel = new DefaultCamelContext();
        camel.addRoutes(new IntakeRoute(intake, new IntakeQueue(sessions, intake, parts.audit, feed,
                Duration.ofSeconds(5))));
        AdviceWith.adviceWith(camel, "intake", a -> a.weaveById("intake-enqueue").before().process(e -> {
            if (brokerRefusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new org.springframework.jms.UncategorizedJmsException("the broker refused the send (test)");
            }
        }));
        camel.start();
        IntakeGateway gateway = new IntakeGateway(camel.createProducerTemplate(), intake);
        drop = new SftpDropIntake(gateway, PROBLEMS);
        https = new HubApiService(gateway, parts.partnership, parts.registry, null, parts.audit, null, null,
                RealParts.JSON, parts.spool, feed);
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        sessions.destroy();
        feed.close();
        broker.close();
        parts.close();
    }

    @Test
    void aDroppedFileIsAcceptedWithTheReceiptDocumentHttpsAnswers() throws Exception {
        byte[] json = parts.submission("C01-police-cce-blackpool.json");
        byte[] sealed = parts.seal(json, PARTNER);

        DropAnswer dropped = drop.submit(PARTNER, certificate(PARTNER), SealedBody.of(sealed));

        assertThat(dropped.outcome()).isEqualTo(DropAnswer.Outcome.RECEIPT);
        JsonNode receipt = RealParts.JSON.readTree(dropped.document());
        assertThat(receipt.fieldNames()).toIterable()
                .containsExactly("submissionId", "receiptId", "receivedAt", "status");
        assertThat(receipt.path("submissionId").asText()).isEqualTo(RealParts.submissionIdOf(json));
        assertThat(receipt.path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(Instant.parse(receipt.path("receivedAt").asText())).isEqualTo(parts.now());

        // the same file sent over HTTPS is a repeat: answered with the first receipt, the very same bytes
        ApiResponse again = https.submit(new Caller(PARTNER, certificate(PARTNER)), ApiResponse.CMS,
                SealedBody.of(sealed));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(dropped.document());
    }

    @Test
    void aFileFirstSentOverHttpsAndThenDroppedGetsTheSameReceiptBytes() {
        byte[] sealed = parts.seal(parts.submission("C01-police-cce-blackpool.json"), PARTNER);

        ApiResponse first = https.submit(new Caller(PARTNER, certificate(PARTNER)), ApiResponse.CMS,
                SealedBody.of(sealed));
        DropAnswer dropped = drop.submit(PARTNER, certificate(PARTNER), SealedBody.of(sealed));

        assertThat(first.status()).isEqualTo(202);
        assertThat(dropped.outcome()).isEqualTo(DropAnswer.Outcome.RECEIPT);
        assertThat(dropped.document()).isEqualTo(first.body());
    }

    @Test
    void aDroppedFileAndAnHttpsSubmissionLeaveTheSameAuditEvents() {
        long before = lastSequence();
        https.submit(new Caller(PARTNER, certificate(PARTNER)), ApiResponse.CMS,
                SealedBody.of(parts.seal(parts.submission("C01-police-cce-blackpool.json"), PARTNER)));
        List<Seen> overHttps = eventsAfter(before, 2);
        long between = lastSequence();

        drop.submit(PARTNER, certificate(PARTNER),
                SealedBody.of(parts.seal(parts.submission("C01-police-cce-blackpool.json"), PARTNER)));
        List<Seen> dropped = eventsAfter(between, 2);

        assertThat(dropped).isEqualTo(overHttps);
        assertThat(dropped).extracting(Seen::type)
                .containsExactly(AuditEventType.SUBMISSION_RECEIVED, AuditEventType.SUBMISSION_ACCEPTED);
    }

    @Test
    void aRefusedFileGetsTheProblemDocumentHttpsAnswersAndTheSameAuditEvents() {
        byte[] junk = "not a CMS envelope".getBytes(StandardCharsets.UTF_8);
        long before = lastSequence();
        HubException refused = null;
        try {
            https.submit(new Caller(PARTNER, certificate(PARTNER)), ApiResponse.CMS, SealedBody.of(junk));
        } catch (HubException e) {
            refused = e;
        }
        assertThat(refused).as("HTTPS refuses it").isNotNull();
        List<Seen> overHttps = eventsAfter(before, 1);
        long between = lastSequence();

        DropAnswer dropped = drop.submit(PARTNER, certificate(PARTNER), "junk.p7m", SealedBody.of(junk));

        assertThat(dropped.outcome()).isEqualTo(DropAnswer.Outcome.PROBLEM);
        assertThat(dropped.document()).isEqualTo(new ProblemDocuments(PROBLEMS).of(refused, "/inbound/junk.p7m").body());
        assertThat(eventsAfter(between, overHttps.size())).isEqualTo(overHttps);
        assertThat(overHttps).extracting(Seen::type).contains(AuditEventType.SUBMISSION_REJECTED);
    }

    @Test
    void whenTheHubCannotStoreTheFileTheDropKeepsItAndItIsAcceptedLater() throws Exception {
        byte[] json = parts.submission("C01-police-cce-blackpool.json");
        byte[] sealed = parts.seal(json, PARTNER);
        brokerRefusals.set(1);

        DropAnswer refused = drop.submit(PARTNER, certificate(PARTNER), SealedBody.of(sealed));

        assertThat(refused.outcome()).isEqualTo(DropAnswer.Outcome.RETRY_LATER);
        assertThat(refused.document()).as("nothing for the partner: the file stays").isEmpty();

        DropAnswer retried = drop.submit(PARTNER, certificate(PARTNER), SealedBody.of(sealed));

        assertThat(retried.outcome()).isEqualTo(DropAnswer.Outcome.RECEIPT);
        assertThat(RealParts.JSON.readTree(retried.document()).path("submissionId").asText())
                .isEqualTo(RealParts.submissionIdOf(json));
    }

    @Test
    void theDropReachesIntakeWithoutTheHttpApi() throws IOException {
        assertThat(referencedTypes(SftpDropIntake.class)).as("no HTTP type in the SFTP drop's intake")
                .doesNotContain("org/safeguarding/hub/http/")
                .contains("org/safeguarding/hub/intake/IntakeGateway");
    }

    /** What of the audit trail says who did what: every field but ids, digests, times and the chain. */
    record Seen(AuditEventType type, String actor, String participant, String reasonCode, boolean submission) {
        static Seen of(AuditEvent e) {
            return new Seen(e.type(), e.actor(), e.participant(), e.reasonCode(), e.submissionId() != null);
        }
    }

    private long lastSequence() {
        List<AuditEvent> all = parts.auditTrail.find(new AuditQuery(null, null, null, null, null, null, 1000));
        return all.isEmpty() ? 0 : all.get(all.size() - 1).sequence();
    }

    /** The events after {@code sequence}, once there are at least {@code count} of them. */
    private List<Seen> eventsAfter(long sequence, int count) {
        return Await.value("the audit events of a submission", Duration.ofSeconds(10),
                () -> parts.auditTrail.find(new AuditQuery(null, null, null, null, null, sequence, 1000)),
                events -> events.size() >= count).stream().map(Seen::of).toList();
    }

    /** The class file's constant pool as text: every type it refers to appears there by its internal name. */
    private static String referencedTypes(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static X509Certificate certificate(String participant) {
        try {
            return Pem.readCertificate(TestPki.ec().cert(participant));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
