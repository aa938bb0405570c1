package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.StreamedMessage;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * Large submissions stream: a hub in a JVM of its own with {@code -Xmx256m} takes in two submissions of about 50 MB
 * each (C01 with a 37 MiB attachment), sent at once, opens them, routes them and seals them for police-fib and mash-bpl,
 * whose packages arrive, open, verify and carry the attachment whole. Stopped with SIGTERM, as an operator stops it,
 * the hub records its stop and signs the head before its stores close. The hub stops itself on an OutOfMemoryError, so running out of heap
 * anywhere fails the test.
 */
class LargeSubmissionIT {
    /** The hub's heap; {@code -Dhub.it.largeHeap=-Xmx128m} tries a smaller one. */
    static final String HEAP = System.getProperty("hub.it.largeHeap", "-Xmx256m");
    static final int ATTACHMENT_BYTES = 37 * 1024 * 1024;
    static final Duration WAIT = Duration.ofSeconds(120);
    /** Sent at once. */
    static final int SUBMISSIONS = 2;
    /** How many times the hub answered 503 (busy) to one of them; printed, not asserted: it depends on timing. */
    final java.util.concurrent.atomic.AtomicInteger busyAnswers = new java.util.concurrent.atomic.AtomicInteger();

    /** Reads a package whose attachment is longer than Jackson's default string limit. */
    static final com.fasterxml.jackson.databind.ObjectMapper LARGE_JSON = com.fasterxml.jackson.databind.json.JsonMapper
            .builder(com.fasterxml.jackson.core.JsonFactory.builder().streamReadConstraints(
                    com.fasterxml.jackson.core.StreamReadConstraints.builder().maxStringLength(128 * 1024 * 1024).build())
                    .build()).build();

    @TempDir
    Path root;
    Process hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.destroy();
            if (!hub.waitFor(30, TimeUnit.SECONDS)) {
                hub.destroyForcibly();
            }
        }
    }

    @Test
    void twoFiftyMegabyteSubmissionsAtOnceAreOpenedRoutedAndSealedByAHubIn256MegabytesOfHeap() throws Exception {
        TestPki pki = TestPki.ec();
        int httpsPort = freePort();
        int managementPort = freePort();
        Path config = RunningHub.writeConfig(root, pki, "http:\n  port: " + httpsPort + "\nmanagement:\n  host: 127.0.0.1\n"
                + "  port: " + managementPort);
        Path log = root.resolve("hub.log");
        hub = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + System.getProperty("hub.it.largeGcLog", root.resolve("gc.log").toString()),
                "-cp", System.getProperty("java.class.path"), "org.safeguarding.hub.app.HubCommand", "run",
                "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitHealthy(managementPort, log);

        byte[] attachment = new byte[ATTACHMENT_BYTES];
        new Random(42).nextBytes(attachment);
        String base64 = Base64.getEncoder().encodeToString(attachment);
        String attachmentDigest = sha256(base64.getBytes(StandardCharsets.US_ASCII));
        attachment = null;
        List<byte[]> sealed = new ArrayList<>();
        for (int i = 0; i < SUBMISSIONS; i++) {
            byte[] json = Submissions.current("C01-police-cce-blackpool.json", n -> n.putArray("attachments")
                    .addObject().put("name", "scan.bin").put("mediaType", "application/octet-stream")
                    .put("content", base64));
            ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 64 * 1024);
            new CmsSealer(AlgorithmPolicy.defaults()).seal(new ByteArrayInputStream(json), out,
                    pki.identity("lancs-police"), List.of(Pem.readCertificate(pki.cert("hub"))),
                    ContentEncryption.AES_256_GCM);
            assertThat(out.size()).as("a sealed submission").isGreaterThan(50_000_000);
            sealed.add(out.toByteArray());
        }

        // sent at once: the hub's content budget takes them in turn (a 503 asks the partner to send again)
        String base = "https://localhost:" + httpsPort + "/";
        HubHttpClient partner = HubHttpClient.as(pki, "lancs-police", base);
        ExecutorService senders = Executors.newFixedThreadPool(SUBMISSIONS);
        List<Future<String>> submitted = new ArrayList<>();
        try {
            for (byte[] body : sealed) {
                submitted.add(senders.submit(() -> submitUntilAccepted(partner, body, log)));
            }
            List<String> submissionIds = new ArrayList<>();
            for (Future<String> f : submitted) {
                submissionIds.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            sealed.clear();
            for (String submissionId : submissionIds) {
                for (String recipient : List.of("police-fib", "mash-bpl")) {
                    receiveWhole(pki, base, recipient, submissionId, attachmentDigest, log);
                }
            }
        } finally {
            senders.shutdownNow();
        }
        try (var spooled = Files.list(root.resolve("data").resolve("spool"))) {
            assertThat(spooled.toList()).as("every spool file is deleted once its body has gone on").isEmpty();
        }
        assertThat(hub.isAlive()).as("the hub is still running: " + tail(log)).isTrue();
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
        System.out.println("LargeSubmissionIT: " + SUBMISSIONS + " submissions, 503 answers on the way: " + busyAnswers);

        // stopped as an operator stops it (SIGTERM): the stop is recorded and signed before the audit store closes
        hub.destroy();
        assertThat(hub.waitFor(60, TimeUnit.SECONDS)).as("the hub stops").isTrue();
        assertThat(Files.readString(log)).doesNotContain("final audit checkpoint failed");
        List<String> lastTypes = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:"
                + root.resolve("data").resolve("audit").resolve("audit"), "hub", "");
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT event_type FROM audit_event ORDER BY seq DESC LIMIT 2")) {
            while (rs.next()) {
                lastTypes.add(rs.getString(1));
            }
        }
        assertThat(lastTypes).as("the stop is recorded, then signed").containsExactly("CHECKPOINT", "HUB_STOPPED");
    }

    /** Posts until a receipt (202), sending again after each 503 as its Retry-After asks (bounded). */
    private String submitUntilAccepted(HubHttpClient partner, byte[] sealed, Path log) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            HttpResponse<byte[]> r = partner.submit(sealed);
            if (r.statusCode() != 503 || System.nanoTime() > deadline) {
                assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8) + tail(log)).isEqualTo(202);
                return HubHttpClient.json(r).path("submissionId").asText();
            }
            busyAnswers.incrementAndGet();
            long after = r.headers().firstValueAsLong("Retry-After").orElse(1);
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(Math.min(after, 5)));
        }
    }

    /** The recipient's package for the submission arrives, opens, verifies as the hub's and holds the attachment whole. */
    private void receiveWhole(TestPki pki, String base, String recipient, String submissionId, String attachmentDigest,
                              Path log) throws Exception {
        HubHttpClient client = HubHttpClient.as(pki, recipient, base);
        String packageId = awaitPackage(client, submissionId, log);
        HttpResponse<byte[]> pkg = client.get("api/v1/inbox/" + packageId);
        assertThat(pkg.statusCode()).as(recipient + " fetches its package").isEqualTo(200);
        ByteArrayOutputStream content = new ByteArrayOutputStream(pkg.body().length);
        StreamedMessage opened = new EnvelopeOpener(List.of(pki.identity(recipient)), AlgorithmPolicy.defaults())
                .open(new ByteArrayInputStream(pkg.body()), content);
        assertThat(org.safeguarding.hub.crypto.Certificates.commonName(opened.signer())).isEqualTo("hub");
        JsonNode routed = LARGE_JSON.readTree(content.toByteArray());
        assertThat(routed.path("recipient").asText()).isEqualTo(recipient);
        assertThat(routed.path("submissionId").asText()).isEqualTo(submissionId);
        JsonNode attached = routed.path("submission").path("attachments").path(0);
        assertThat(attached.path("name").asText()).isEqualTo("scan.bin");
        assertThat(sha256(attached.path("content").asText().getBytes(StandardCharsets.US_ASCII)))
                .as(recipient + " receives the attachment whole").isEqualTo(attachmentDigest);
    }

    private void awaitHealthy(int managementPort, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(hub.isAlive()).as("the hub started: " + tail(log)).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + managementPort + "/observe/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new AssertionError("the hub did not become healthy: " + tail(log));
    }

    private String awaitPackage(HubHttpClient client, String submissionId, Path log) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(hub.isAlive()).as("the hub is running: " + tail(log)).isTrue();
            HttpResponse<byte[]> r = client.get("api/v1/inbox");
            assertThat(r.statusCode()).isEqualTo(200);
            for (JsonNode entry : HubHttpClient.json(r)) {
                if (submissionId.equals(entry.path("submissionId").asText())) {
                    return entry.path("packageId").asText();
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new AssertionError("no package arrived: " + tail(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(log));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
