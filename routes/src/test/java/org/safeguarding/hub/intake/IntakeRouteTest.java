package org.safeguarding.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.broker.EmbeddedBroker;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.registry.SubmissionStatus;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.testing.RealParts;

/**
 * The intake route on a real broker: the receipt is answered only once the still-sealed bytes
 * are on {@code hub.intake}; a repeat answers the first receipt and queues nothing; when the
 * broker does not take the submission the partner gets UNAVAILABLE, the reservation is undone
 * and a retry succeeds.
 */
class IntakeRouteTest {
    @TempDir
    Path dir;
    RealParts parts;
    EmbeddedBroker broker;
    CamelContext camel;
    IntakeGateway gateway;
    final AtomicInteger brokerRefusals = new AtomicInteger();
    long maxBacklog = 1000;
    /** The broker's count of the intake queue as admission sees it: true holds it at 0, as just after a commit. */
    volatile boolean countLags;
    /** The registry as the feed writes it (null: the test parts' own). */
    javax.sql.DataSource feedRegistry;
    org.safeguarding.hub.auditing.AuditFeed feed;
    org.springframework.jms.connection.CachingConnectionFactory sessions;
    IntakeAdmission admission;
    SubmissionIntake intake;

    @BeforeEach
    void start() throws Exception {
        parts = new RealParts(dir.resolve("db"),
                Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
        broker = new EmbeddedBroker(new HubSettings.Broker(dir.resolve("broker"), 0, 0, 3, Duration.ZERO,
                Duration.ZERO), List.of("police-fib", "mash-bpl"), id -> true, (who, what) -> { });
        broker.start();
        feed = feedRegistry == null ? parts.feed(broker) : new org.safeguarding.hub.auditing.AuditFeed(
                broker.connectionFactory(), parts.auditTrail,
                new org.safeguarding.hub.registry.RegistryProjection(feedRegistry, parts.clock), parts.clock,
                () -> broker.messageCount(QueueNames.AUDIT)).start();
        sessions = new org.springframework.jms.connection.CachingConnectionFactory(broker.connectionFactory());
        camel = new DefaultCamelContext();
        admission = new IntakeAdmission(() -> countLags ? 0 : broker.messageCount(QueueNames.INTAKE), maxBacklog);
        intake = new SubmissionIntake(parts.submissions, parts.registry,
                parts.audit, parts.clock, 1024 * 1024, parts.contentBudget, Duration.ZERO, admission);
        camel.addRoutes(new IntakeRoute(intake, new IntakeQueue(sessions, intake, parts.audit, feed,
                Duration.ofSeconds(5))));
        AdviceWith.adviceWith(camel, "intake", a -> a.weaveById("intake-enqueue").before().process(e -> {
            if (brokerRefusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new org.springframework.jms.UncategorizedJmsException("the broker refused the send (test)");
            }
        }));
        camel.start();
        gateway = new IntakeGateway(camel.createProducerTemplate(), intake);
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        sessions.destroy();
        feed.close();
        broker.close();
        parts.close();
    }

    static X509Certificate certificate(String participant) {
        try {
            return Pem.readCertificate(TestPki.ec().cert(participant));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    IntakeAnswer submit(byte[] sealed) {
        return gateway.submit(new IntakeRequest("lancs-police", certificate("lancs-police"), sealed));
    }

    List<Message> queued() throws Exception {
        try (Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser b = s.createBrowser(s.createQueue(QueueNames.INTAKE));
            return new ArrayList<>(Collections.list((java.util.Enumeration<Message>) b.getEnumeration()));
        }
    }

    static byte[] body(Message m) throws Exception {
        BytesMessage b = (BytesMessage) m;
        byte[] out = new byte[(int) b.getBodyLength()];
        b.readBytes(out);
        return out;
    }

    @Test
    void theReceiptComesWithTheSealedBytesOnTheIntakeQueue() throws Exception {
        byte[] json = parts.submission("C01-police-cce-blackpool.json");
        byte[] sealed = parts.seal(json, "lancs-police");

        IntakeAnswer answer = submit(sealed);

        assertThat(answer.httpStatus()).isEqualTo(202);
        List<Message> queued = queued();
        assertThat(queued).hasSize(1);
        Message m = queued.get(0);
        assertThat(body(m)).as("still sealed, exactly as received").isEqualTo(sealed);
        assertThat(m.getStringProperty(QueueNames.PARTNER_ID)).isEqualTo("lancs-police");
        assertThat(m.getStringProperty(QueueNames.SUBMISSION_ID)).isEqualTo(RealParts.submissionIdOf(json));
        assertThat(m.getStringProperty(QueueNames.RECEIPT_ID)).isEqualTo(answer.receipt().receiptId());
        assertThat(Instant.parse(m.getStringProperty(QueueNames.RECEIVED_AT))).isEqualTo(answer.receipt().receivedAt());
        assertThat(m.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
        assertThat(parts.registry.find("lancs-police", RealParts.submissionIdOf(json))).hasValueSatisfying(
                r -> assertThat(r.status()).isEqualTo(SubmissionStatus.ACCEPTED));
        assertThat(parts.events(AuditEventType.SUBMISSION_ACCEPTED)).singleElement()
                .satisfies(e -> assertThat(e.receivedDigest()).isEqualTo(Digests.sha256Hex(sealed)));
    }

    @Test
    void aRepeatAnswersTheFirstReceiptAndQueuesNothing() throws Exception {
        byte[] json = parts.submission("C01-police-cce-blackpool.json");
        IntakeAnswer first = submit(parts.seal(json, "lancs-police"));

        IntakeAnswer again = submit(parts.seal(json, "lancs-police"));

        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(again.receipt()).isEqualTo(first.receipt());
        assertThat(queued()).hasSize(1);
        assertThat(parts.events(AuditEventType.SUBMISSION_DUPLICATE)).hasSize(1);
    }

    @Test
    void whenTheBrokerRefusesThePartnerGetsUnavailableAndMayRetry() throws Exception {
        byte[] json = parts.submission("C01-police-cce-blackpool.json");
        String id = RealParts.submissionIdOf(json);
        byte[] sealed = parts.seal(json, "lancs-police");
        brokerRefusals.set(1);

        HubException refused = catchThrowableOfType(HubException.class, () -> submit(sealed));

        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(queued()).isEmpty();
        assertThat(parts.registry.find("lancs-police", id)).as("the reservation is undone").isEmpty();
        assertThat(parts.events(AuditEventType.SUBMISSION_REJECTED)).singleElement()
                .satisfies(e -> assertThat(e.reasonCode()).isEqualTo("UNAVAILABLE"));
        assertThat(parts.events(AuditEventType.SUBMISSION_ACCEPTED)).isEmpty();

        IntakeAnswer retried = submit(sealed);

        assertThat(retried.httpStatus()).isEqualTo(202);
        assertThat(queued()).hasSize(1);
    }

    @Test
    void whileOtherContentHoldsTheMemoryBudgetThePartnerIsAskedToRetryAndNothingLeaks() throws Exception {
        ContentBudget budget = parts.contentBudget;
        int total = budget.totalKib();
        byte[] sealed = parts.seal(parts.submission("C01-police-cce-blackpool.json"), "lancs-police");

        try (ContentBudget.Permit others = budget.tryReserve(total * 1024L, Duration.ZERO).orElseThrow()) {
            HubException busy = catchThrowableOfType(HubException.class, () -> submit(sealed));
            assertThat(busy.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(busy.getMessage()).contains("send this one again");
        }
        assertThat(queued()).isEmpty();
        assertThat(parts.events(AuditEventType.SUBMISSION_REJECTED)).singleElement()
                .satisfies(e -> assertThat(e.reasonCode()).isEqualTo("UNAVAILABLE"));

        assertThat(submit(sealed).httpStatus()).as("the same submission once memory is free").isEqualTo(202);
        assertThat(budget.availableKib()).as("given back after an accepted submission").isEqualTo(total);
        catchThrowableOfType(HubException.class, () -> submit("not a CMS envelope".getBytes()));
        assertThat(budget.availableKib()).as("given back after a refused one").isEqualTo(total);
        assertThat(submit(sealed).httpStatus()).as("a repeat").isEqualTo(200);
        assertThat(budget.availableKib()).as("given back after a repeat").isEqualTo(total);
    }

    @Test
    void copiesRacingEachOtherGetOneReceiptOneAcceptanceAndOneQueuedMessage() throws Exception {
        for (int round = 0; round < 20; round++) {
            byte[] sealed = parts.seal(parts.submission("C01-police-cce-blackpool.json"), "lancs-police");
            int copies = 6;
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(copies);
            try {
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(copies);
                List<java.util.concurrent.Future<IntakeAnswer>> answers = new ArrayList<>();
                for (int i = 0; i < copies; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return submit(sealed);
                    }));
                }
                java.util.Set<org.safeguarding.hub.registry.Receipt> receipts = new java.util.HashSet<>();
                int created = 0;
                for (var f : answers) {
                    IntakeAnswer a = f.get();
                    receipts.add(a.receipt());
                    created += a.httpStatus() == 202 ? 1 : 0;
                }
                assertThat(receipts).as("round %d: one receipt for every copy", round).hasSize(1);
                assertThat(created).as("round %d: one 202, the rest 200", round).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
        org.safeguarding.hub.crypto.testing.Await.until("the audit queue applied", Duration.ofSeconds(10),
                () -> broker.messageCount(QueueNames.AUDIT) == 0);
        assertThat(broker.messageCount(QueueNames.INTAKE)).isEqualTo(20);
        assertThat(parts.events(AuditEventType.SUBMISSION_ACCEPTED)).hasSize(20);
        assertThat(parts.events(AuditEventType.SUBMISSION_RECEIVED)).hasSize(120);
    }

    @Test
    void aRetryAfterACrashThatLostTheReservationGetsTheFirstReceipt() throws Exception {
        byte[] json = parts.submission("C01-police-cce-blackpool.json");
        String id = RealParts.submissionIdOf(json);
        byte[] sealed = parts.seal(json, "lancs-police");
        // the feed is away: the acceptance is durable on the broker only, as just before a crash
        feed.close();
        IntakeAnswer first = submit(sealed);
        assertThat(first.httpStatus()).isEqualTo(202);
        // the registry lost the reservation (an embedded database's last writes, in a crash)
        try (java.sql.Connection c = parts.registryDataSource().getConnection();
             java.sql.Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("DELETE FROM submission WHERE submission_id = '" + id + "'")).isEqualTo(1);
        }
        java.util.concurrent.CompletableFuture<IntakeAnswer> retried =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> submit(sealed));
        // the hub comes back: the feed applies what the broker kept
        feed = parts.feed(broker);

        IntakeAnswer again = retried.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(again.receipt()).isEqualTo(first.receipt());
        assertThat(broker.messageCount(QueueNames.INTAKE)).isEqualTo(1);
        org.safeguarding.hub.crypto.testing.Await.until("the audit queue applied", Duration.ofSeconds(10),
                () -> broker.messageCount(QueueNames.AUDIT) == 0);
        assertThat(parts.events(AuditEventType.SUBMISSION_ACCEPTED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("receipt=" + first.receipt().receiptId()));
    }

    @Test
    void pastTheBacklogBoundThePartnerIsAskedToRetryBeforeAnythingIsOpened() throws Exception {
        stop();
        maxBacklog = 3;
        start(); // no routing here: what is queued stays queued
        for (int i = 0; i < 3; i++) {
            assertThat(submit(parts.seal(parts.submission("C01-police-cce-blackpool.json"), "lancs-police"))
                    .httpStatus()).isEqualTo(202);
        }
        byte[] fourth = parts.seal(parts.submission("C01-police-cce-blackpool.json"), "lancs-police");

        HubException busy = catchThrowableOfType(HubException.class, () -> submit(fourth));

        assertThat(busy.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(busy.getMessage()).contains("Retry-After");
        assertThat(broker.messageCount(QueueNames.INTAKE)).isEqualTo(3);
        assertThat(admission.backlog()).as("nothing held by the refused one").isEqualTo(3);
        assertThat(parts.events(AuditEventType.SUBMISSION_REJECTED)).singleElement()
                .satisfies(e -> assertThat(e.reasonCode()).isEqualTo("UNAVAILABLE"));
    }

    @Test
    void anAcceptedSubmissionKeepsItsPlaceInTheBoundUntilItsStepIsApplied() throws Exception {
        // the broker counts a committed message on its queue once the store's callback has run: here the count stays
        // behind for good, and the feed takes its time, so only the accepted submission's own place holds the bound
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        javax.sql.DataSource registryDb = parts.registryDataSource();
        stop();
        maxBacklog = 1;
        countLags = true;
        feedRegistry = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        hold.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    }
                    try {
                        return method.invoke(registryDb, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        start();
        byte[] first = parts.seal(parts.submission("C01-police-cce-blackpool.json"), "lancs-police");
        byte[] second = parts.seal(parts.submission("C01-police-cce-blackpool.json"), "lancs-police");
        try {
            java.util.concurrent.CompletableFuture<IntakeAnswer> answered =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> submit(first));
            org.safeguarding.hub.crypto.testing.Await.until("the first submission committed", Duration.ofSeconds(10),
                    () -> broker.messageCount(QueueNames.INTAKE) == 1);

            HubException busy = catchThrowableOfType(HubException.class, () -> submit(second));

            assertThat(busy).as("the second, while the first still waits for its step to be applied").isNotNull();
            assertThat(busy.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            hold.countDown();
            assertThat(answered.get(30, java.util.concurrent.TimeUnit.SECONDS).httpStatus()).isEqualTo(202);
        } finally {
            hold.countDown();
        }
        assertThat(broker.messageCount(QueueNames.INTAKE)).as("the bound held").isEqualTo(1);
        assertThat(admission.backlog()).as("the place given back once applied (the count still lags here)").isZero();
    }
}
