package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * Part of the hostile-input test (issue 11, item 1), against a whole running hub over real mutual-TLS sockets: one
 * partner (nhs-lsc) opens more slow uploads than the hub has submission slots, each declaring 1 MB and sending a byte
 * a second, while another (lancs-police) sends a genuine sealed submission of a few MiB (C01 with a 2 MiB attachment)
 * at an honest but modest 256 KiB/s. The honest one is accepted (202) and routed to police-fib and mash-bpl; the slow
 * partner holds no more than its share of the slots, its uploads within that share are cut with 408 BODY_TOO_SLOW
 * (a problem document, audited as SUBMISSION_REJECTED with BODY_TOO_SLOW, which is what the HTTPS API's
 * {@code refusedBeforeIntake} records) and those beyond it get 503 UNAVAILABLE (not audited: nothing was read); none
 * of them is registered, queued or routed, and every spool file is gone afterwards.
 *
 * <p>The attack of issue 11 against the hub's default slots (40 slow uploads; 32 slots, 16 per partner), with a
 * minimum rate of 16 KiB/s after the built-in grace period of 5 s. The client is paced by a scheduler; waits are on conditions, never on time.
 */
class SlowUploadIT {
    /** The hub's defaults: 32 slots, half of them for one partner at most. */
    static final int SLOTS = 32;
    static final int PER_PARTNER = 16;
    /** As the attack in issue 11: 40 uploads, more than every slot. */
    static final int SLOW_UPLOADS = 40;
    static final long MIN_RATE = 16 * 1024;
    static final int MAX_BYTES = 8 * 1024 * 1024;
    static final int ATTACHMENT_BYTES = 2 * 1024 * 1024;
    /** The honest rate: a 32 KiB write every 125 ms. */
    static final int PIECE = 32 * 1024;
    static final long PIECE_EVERY_MILLIS = 125;
    static final String SLOW = "nhs-lsc";
    static final String HONEST = "lancs-police";
    static final Duration WAIT = Duration.ofSeconds(60);

    static RunningHub hub;
    static final ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
    /** One reader per socket: each blocks until its answer comes. */
    static final ExecutorService readers = Executors.newCachedThreadPool();
    static final List<SSLSocket> sockets = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        hub = RunningHub.start(TestPki.ec(), "http:\n  maxSubmissionBytes: " + MAX_BYTES
                + "\n  minBodyBytesPerSecond: " + MIN_RATE + "\n");
        assertThat(hub.app().settings().http().maxConcurrentSubmissions()).as("the default slots").isEqualTo(SLOTS);
        assertThat(hub.app().settings().http().maxSubmissionsPerPartner()).as("the default share").isEqualTo(PER_PARTNER);
    }

    @AfterAll
    static void stop() {
        pacer.shutdownNow();
        readers.shutdownNow();
        for (SSLSocket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (hub != null) {
            hub.close();
        }
    }

    /** An answer read off a socket: status -1 when it closed (or failed) before a whole one came. */
    record Answer(int status, String contentType, byte[] body, String failure) {
        JsonNode json() {
            try {
                return HubHttpClient.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
            }
        }

        @Override
        public String toString() {
            return status + " " + (failure != null ? failure : new String(body, StandardCharsets.UTF_8));
        }
    }

    SSLSocket connect(String partner) throws IOException {
        SSLSocket s = (SSLSocket) HubHttpClient.sslContext(hub.pki().p12(partner), hub.pki().caPem())
                .getSocketFactory().createSocket("127.0.0.1", hub.app().httpsPort());
        sockets.add(s);
        s.setSoTimeout((int) WAIT.toMillis());
        s.startHandshake();
        return s;
    }

    static void head(OutputStream out, long length) throws IOException {
        out.write(("POST /api/v1/submissions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/pkcs7-mime\r\n"
                + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one HTTP/1.1 answer with a Content-Length body (as every answer of the submission endpoint has). */
    static Answer read(SSLSocket s) {
        try {
            InputStream in = s.getInputStream();
            String statusLine = line(in);
            if (statusLine == null) {
                return new Answer(-1, null, new byte[0], "closed without an answer");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            String contentType = null;
            long length = 0;
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equals("content-type")) {
                    contentType = value;
                }
            }
            return new Answer(status, contentType, in.readNBytes((int) length), null);
        } catch (IOException | RuntimeException e) {
            return new Answer(-1, null, new byte[0], e.toString());
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            b.write(c);
        }
        if (c == -1 && b.size() == 0) {
            return null;
        }
        return b.toString(StandardCharsets.US_ASCII).replace("\r", "");
    }

    /** Declares 1 MB and sends one byte a second until it is answered; the answer. */
    CompletableFuture<Answer> slowUpload() throws IOException {
        SSLSocket s = connect(SLOW);
        OutputStream out = s.getOutputStream();
        head(out, 1_000_000);
        AtomicBoolean answered = new AtomicBoolean();
        every(1000, () -> {
            if (answered.get()) {
                return false;
            }
            try {
                out.write('x');
                out.flush();
                return true;
            } catch (IOException cut) {
                return false; // the hub cut it
            }
        });
        return CompletableFuture.supplyAsync(() -> {
            Answer a = read(s);
            answered.set(true);
            return a;
        }, readers);
    }

    /** Runs {@code step} on the pacer every {@code millis} ms, from now, until it answers false. */
    static void every(long millis, BooleanSupplier step) {
        CompletableFuture<ScheduledFuture<?>> self = new CompletableFuture<>();
        self.complete(pacer.scheduleAtFixedRate(() -> {
            if (!step.getAsBoolean()) {
                self.join().cancel(false);
            }
        }, 0, millis, TimeUnit.MILLISECONDS));
    }

    /** The spool files of bodies being uploaded now: one per submission slot in use. */
    static long bodiesInHand() throws IOException {
        try (Stream<Path> files = Files.list(hub.app().settings().dataDirectory().resolve("spool"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("submission-")).count();
        }
    }

    static List<AuditEvent> events(String participant, AuditEventType type) {
        return hub.app().auditTrail().find(new AuditQuery(null, participant, type, null, null, null,
                AuditQuery.MAX_LIMIT));
    }

    @Test
    void slowUploadsBeyondTheSlotsAreCutAndAuditedWhileAnHonestLargeSubmissionIsAcceptedAndRouted() throws Exception {
        byte[] attachment = new byte[ATTACHMENT_BYTES];
        new Random(11L).nextBytes(attachment);
        byte[] json = Submissions.current("C01-police-cce-blackpool.json", n -> n.putArray("attachments").addObject()
                .put("name", "scan.bin").put("mediaType", "application/octet-stream")
                .put("content", Base64.getEncoder().encodeToString(attachment)));
        String submissionId = HubHttpClient.JSON.readTree(json).path("submissionId").asText();
        byte[] sealed = new CmsSealer(AlgorithmPolicy.defaults()).seal(json, hub.pki().identity(HONEST),
                List.of(hub.pki().identity("hub").certificate()), ContentEncryption.AES_256_GCM);
        assertThat(sealed.length).as("a sealed submission of a few MiB").isBetween(2 * 1024 * 1024, MAX_BYTES);
        NotifyBuilder routed = hub.routedNotifier(1);
        long started = System.nanoTime();

        List<CompletableFuture<Answer>> slow = new ArrayList<>();
        for (int i = 0; i < SLOW_UPLOADS; i++) {
            slow.add(slowUpload());
        }
        Await.value("the slow partner to hold its share of the slots (" + PER_PARTNER + " bodies spooling)",
                Duration.ofSeconds(20), SlowUploadIT::bodiesInHand, n -> n == PER_PARTNER);

        // the honest partner: the whole sealed body at 256 KiB/s, while the slow ones hold what they can
        SSLSocket honest = connect(HONEST);
        OutputStream out = honest.getOutputStream();
        head(out, sealed.length);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        int[] written = {0};
        every(PIECE_EVERY_MILLIS, () -> {
            try {
                int n = Math.min(PIECE, sealed.length - written[0]);
                out.write(sealed, written[0], n);
                out.flush();
                written[0] += n;
                if (written[0] == sealed.length) {
                    sent.complete(null);
                    return false;
                }
                return true;
            } catch (IOException e) {
                sent.completeExceptionally(e);
                return false;
            }
        });
        CompletableFuture<Answer> honestAnswer = CompletableFuture.supplyAsync(() -> read(honest), readers);
        sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Answer receipt = honestAnswer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long honestMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(receipt.status()).as("the honest partner's submission: " + receipt).isEqualTo(202);
        assertThat(receipt.json().path("submissionId").asText()).isEqualTo(submissionId);
        assertThat(receipt.json().path("receiptId").asText()).isNotBlank();

        List<Answer> answers = new ArrayList<>();
        for (CompletableFuture<Answer> a : slow) {
            answers.add(a.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        assertThat(answers).as("within its share: cut as too slow; beyond it: 503").extracting(Answer::status)
                .containsOnly(408, 503);
        assertThat(answers).filteredOn(a -> a.status() == 408).as("the slow partner's share").hasSize(PER_PARTNER)
                .allSatisfy(a -> {
                    assertThat(a.contentType()).isEqualTo("application/problem+json");
                    assertThat(a.json().path("code").asText()).isEqualTo("BODY_TOO_SLOW");
                    assertThat(a.json().path("status").asInt()).isEqualTo(408);
                    assertThat(a.json().path("detail").asText()).contains(Long.toString(MIN_RATE));
                });
        assertThat(answers).filteredOn(a -> a.status() == 503).hasSize(SLOW_UPLOADS - PER_PARTNER).allSatisfy(a -> {
            assertThat(a.contentType()).isEqualTo("application/problem+json");
            assertThat(a.json().path("code").asText()).isEqualTo("UNAVAILABLE");
        });

        assertThat(routed.matches(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the honest submission routed").isTrue();
        hub.awaitPackages("police-fib", 1);
        hub.awaitPackages("mash-bpl", 1);
        hub.awaitRecorded();
        assertThat(hub.app().registry().find(HONEST, submissionId)).isPresent();
        Await.until("the slow partner's refusals to be audited", WAIT,
                () -> events(SLOW, AuditEventType.SUBMISSION_REJECTED).size() >= PER_PARTNER);
        assertThat(events(SLOW, AuditEventType.SUBMISSION_REJECTED)).as("one refusal audited per upload cut")
                .hasSize(PER_PARTNER).allSatisfy(e -> {
                    assertThat(e.reasonCode()).isEqualTo("BODY_TOO_SLOW");
                    assertThat(e.actor()).isEqualTo(SLOW);
                    assertThat(e.receivedDigest()).as("nothing of the body was kept").isNull();
                });
        assertThat(events(SLOW, AuditEventType.SUBMISSION_ACCEPTED)).as("nothing of the slow partner's accepted")
                .isEmpty();
        assertThat(events(null, AuditEventType.SUBMISSION_ACCEPTED)).as("only the honest submission accepted")
                .singleElement().satisfies(e -> assertThat(e.submissionId()).isEqualTo(submissionId));
        assertThat(events(null, AuditEventType.SUBMISSION_ROUTED)).singleElement()
                .satisfies(e -> assertThat(e.submissionId()).isEqualTo(submissionId));
        assertThat(hub.app().broker().messageCount(QueueNames.INTAKE)).as("nothing left queued for intake").isZero();
        assertThat(hub.app().broker().messageCount(QueueNames.QUARANTINE)).isZero();
        for (String recipient : hub.app().broker().recipients()) {
            int expected = recipient.equals("police-fib") || recipient.equals("mash-bpl") ? 1 : 0;
            assertThat(hub.app().broker().messageCount(QueueNames.inbox(recipient))).as(recipient)
                    .isEqualTo(expected);
        }
        Await.value("every slot and spool file to be free again", Duration.ofSeconds(10), SlowUploadIT::bodiesInHand,
                n -> n == 0);
        System.out.println("SlowUploadIT: " + sealed.length + " bytes accepted in " + honestMillis + " ms beside "
                + SLOW_UPLOADS + " slow uploads: " + answers.stream().map(Answer::status).toList());
    }
}
