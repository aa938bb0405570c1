package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The partners' SFTP drop, end to end with Apache MINA SSHD's own SSH/SFTP client: a partner logs in with
 * the key of its certificate, drops a sealed C01 into /inbound/ and finds the receipt in /outbound/ while
 * the package reaches police-fib; junk yields UNDECRYPTABLE; other keys and other folders are refused.
 */
class SftpDropIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static RunningHub hub;
    static SshClient ssh;
    /** The hub's limit for a submission, by either channel. */
    static final int MAX_BYTES = 1024 * 1024;

    @BeforeAll
    static void start() throws IOException {
        hub = RunningHub.start(TestPki.ec(), "sftp:\n  host: 127.0.0.1\n  port: 0\nhttp:\n  maxSubmissionBytes: "
                + MAX_BYTES);
        Path hostKeyFile = hub.app().settings().dataDirectory().resolve("sftp").resolve("host-key");
        var hostKeys = new ArrayList<KeyPair>();
        new SimpleGeneratorHostKeyProvider(hostKeyFile).loadKeys(null).forEach(hostKeys::add);
        ssh = SshClient.setUpDefaultClient();
        // the client pins the hub's host key, as a partner does after checking the fingerprint the hub logs
        ssh.setServerKeyVerifier((session, address, key) -> KeyUtils.compareKeys(hostKeys.get(0).getPublic(), key));
        ssh.start();
    }

    @AfterAll
    static void stop() {
        if (ssh != null) {
            ssh.stop();
        }
        if (hub != null) {
            hub.close();
        }
    }

    /** A session as {@code user}, offering the key of {@code keyOf}'s certificate (its PEM key read by BouncyCastle). */
    static ClientSession login(String user, String keyOf) throws IOException {
        ClientSession session = ssh.connect(user, "127.0.0.1", hub.app().sftpPort()).verify(TIMEOUT).getSession();
        Identity id = hub.pki().identity(keyOf);
        session.addPublicKeyIdentity(new KeyPair(id.certificate().getPublicKey(), id.privateKey()));
        try {
            session.auth().verify(TIMEOUT);
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    static void upload(SftpClient sftp, String path, byte[] content) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(content);
        }
    }

    /** Bounded poll of the partner's /outbound/ listing until {@code name} is there; then its content. */
    static JsonNode awaitOutbound(SftpClient sftp, String name) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!names(sftp, "/outbound").contains(name)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no /outbound/" + name + " after 60 s; outbound holds "
                        + names(sftp, "/outbound"));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        try (InputStream in = sftp.read("/outbound/" + name)) {
            return HubHttpClient.JSON.readTree(in.readAllBytes());
        }
    }

    static List<String> names(SftpClient sftp, String dir) throws IOException {
        List<String> names = new ArrayList<>();
        try {
            for (SftpClient.DirEntry e : sftp.readDir(dir)) {
                if (!e.getFilename().equals(".") && !e.getFilename().equals("..")) {
                    names.add(e.getFilename());
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // the listing's iterator wraps the server's refusal
        }
        return names;
    }

    /** The channel is refused at opening, or its request is refused and the hub closes it without running anything. */
    static boolean refused(org.apache.sshd.client.channel.ClientChannel channel) throws IOException {
        try (channel) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            channel.setOut(out);
            channel.setErr(out);
            try {
                channel.open().verify(TIMEOUT);
            } catch (IOException e) {
                return true;
            }
            var events = channel.waitFor(java.util.EnumSet.of(org.apache.sshd.client.channel.ClientChannelEvent.CLOSED),
                    TIMEOUT);
            return events.contains(org.apache.sshd.client.channel.ClientChannelEvent.CLOSED) && out.size() == 0
                    && channel.getExitStatus() == null;
        }
    }

    /**
     * A package nobody acknowledged expires; the partner that dropped the submission finds a signed, content-free
     * non-delivery report per expired package in its /outbound/, and the same reports over HTTPS; another partner
     * sees none of them and a recipient may not ask.
     */
    @Test
    void aNonDeliveryReportAfterExpiryIsInOutboundAndOverHttps() throws Exception {
        TestPki pki = hub.pki();
        byte[] json = Submissions.current("C01-police-cce-blackpool.json");
        String submissionId = HubHttpClient.JSON.readTree(json).path("submissionId").asText();
        byte[] sealed = OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"), pki.key("lancs-police"),
                pki.cert("hub"), "-aes-256-gcm");
        try (ClientSession session = login("lancs-police", "lancs-police");
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            upload(sftp, "/inbound/ndr.p7m", sealed);
            assertThat(awaitOutbound(sftp, "ndr.p7m.receipt.json").path("status").asText()).isEqualTo("ACCEPTED");
            org.safeguarding.hub.crypto.testing.Await.until("the submission routed", TIMEOUT, () -> HubHttpClient.json(
                    hub.client("lancs-police").get("api/v1/submissions/" + submissionId)).path("status").asText()
                    .equals("ROUTED"));
            hub.awaitRecorded();
            org.safeguarding.hub.expiry.PackageExpiry.Run run = hub.app().packageExpiry().runOnce(
                    java.time.Instant.now().plus(hub.app().settings().packageExpiry()).plusSeconds(1));
            assertThat(run.expired()).isPositive();
            hub.awaitRecorded();
            assertThat(hub.app().nonDeliveryReports().writeOutbound()).isPositive();

            List<JsonNode> dropped = new ArrayList<>();
            for (String name : names(sftp, "/outbound")) {
                if (name.endsWith(org.safeguarding.hub.notices.NonDeliveryReports.SUFFIX)) {
                    try (InputStream in = sftp.read("/outbound/" + name)) {
                        JsonNode report = HubHttpClient.JSON.readTree(OpenSsl.verify(in.readAllBytes(), pki.caPem()));
                        assertThat(name).isEqualTo(report.path("reportId").asText()
                                + org.safeguarding.hub.notices.NonDeliveryReports.SUFFIX);
                        if (report.path("submissionId").asText().equals(submissionId)) {
                            dropped.add(report);
                        }
                    }
                }
            }
            assertThat(dropped).extracting(r -> r.path("recipient").asText())
                    .containsExactlyInAnyOrder("police-fib", "mash-bpl");
            assertThat(dropped).allSatisfy(r -> {
                assertThat(r.path("event").asText()).isEqualTo("EXPIRED");
                assertThat(r.path("partnerId").asText()).isEqualTo("lancs-police");
                assertThat(r.path("next").asText()).contains("new submission");
                assertThat(r.toString()).as("content-free").doesNotContain("Blackpool").doesNotContain("narrative");
            });
            assertThat(hub.app().nonDeliveryReports().writeOutbound()).as("each report written once").isZero();

            java.net.http.HttpResponse<byte[]> page = hub.client("lancs-police").get("api/v1/reports/non-delivery");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("application/pkcs7-mime");
            JsonNode reports = HubHttpClient.JSON.readTree(OpenSsl.verify(page.body(), pki.caPem())).path("reports");
            List<String> overHttps = new ArrayList<>();
            reports.forEach(r -> {
                if (r.path("submissionId").asText().equals(submissionId)) {
                    overHttps.add(r.path("reportId").asText());
                }
            });
            assertThat(overHttps).containsExactlyInAnyOrderElementsOf(
                    dropped.stream().map(r -> r.path("reportId").asText()).toList());
            JsonNode others = HubHttpClient.JSON.readTree(OpenSsl.verify(
                    hub.client("nhs-lsc").get("api/v1/reports/non-delivery").body(), pki.caPem()));
            assertThat(others.path("reports")).as("another partner's reports are its own").isEmpty();
            assertThat(hub.client("police-fib").get("api/v1/reports/non-delivery").statusCode()).isEqualTo(403);
            assertThat(hub.client("lancs-police").get("api/v1/reports/non-delivery?after=../x").statusCode())
                    .isEqualTo(400);
        }
    }

    /**
     * An SFTP partner corrects and then withdraws its submission through the drop (files named
     * {@code *.correction.p7m} and {@code *.withdrawal.p7m}, sealed as submissions are), each answered in /outbound/
     * like a submission; another partner's withdrawal of it is refused there with a problem document.
     */
    @Test
    void aCorrectionAndAWithdrawalDroppedIntoInboundAreAnsweredInOutbound() throws Exception {
        TestPki pki = hub.pki();
        byte[] json = Submissions.current("C01-police-cce-blackpool.json");
        String submissionId = HubHttpClient.JSON.readTree(json).path("submissionId").asText();
        try (ClientSession session = login("lancs-police", "lancs-police");
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            upload(sftp, "/inbound/fix.p7m", OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"),
                    pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm"));
            assertThat(awaitOutbound(sftp, "fix.p7m.receipt.json").path("status").asText()).isEqualTo("ACCEPTED");
            org.safeguarding.hub.crypto.testing.Await.until("the submission routed", TIMEOUT, () -> HubHttpClient.json(
                    hub.client("lancs-police").get("api/v1/submissions/" + submissionId)).path("status").asText()
                    .equals("ROUTED"));
            hub.awaitRecorded();

            com.fasterxml.jackson.databind.node.ObjectNode corrected =
                    (com.fasterxml.jackson.databind.node.ObjectNode) HubHttpClient.JSON.readTree(json);
            corrected.put("narrative", "Corrected: seen twice, not once.").put("revision", 1)
                    .put("correctionReason", "FACTUAL_ERROR");
            upload(sftp, "/inbound/fix.correction.p7m", OpenSsl.signAndEncrypt(
                    HubHttpClient.JSON.writeValueAsBytes(corrected), pki.cert("lancs-police"), pki.key("lancs-police"),
                    pki.cert("hub"), "-aes-256-gcm"));
            JsonNode correctedAnswer = awaitOutbound(sftp, "fix.correction.p7m.receipt.json");
            assertThat(correctedAnswer.path("revision").asInt()).isEqualTo(1);
            assertThat(correctedAnswer.path("updates").asInt()).isPositive();

            byte[] withdrawal = HubHttpClient.JSON.writeValueAsBytes(HubHttpClient.JSON.createObjectNode()
                    .put("submissionId", submissionId).put("partnerId", "lancs-police").put("reason", "WRONG_SUBJECT")
                    .put("withdrawnAt", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            .toString()));
            upload(sftp, "/inbound/fix.withdrawal.p7m", OpenSsl.signAndEncrypt(withdrawal, pki.cert("lancs-police"),
                    pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm"));
            assertThat(awaitOutbound(sftp, "fix.withdrawal.p7m.receipt.json").path("status").asText())
                    .isEqualTo("WITHDRAWN");
        }
        try (ClientSession session = login("nhs-lsc", "nhs-lsc");
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            byte[] theirs = HubHttpClient.JSON.writeValueAsBytes(HubHttpClient.JSON.createObjectNode()
                    .put("submissionId", submissionId).put("partnerId", "nhs-lsc").put("reason", "WRONG_SUBJECT")
                    .put("withdrawnAt", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            .toString()));
            upload(sftp, "/inbound/other.withdrawal.p7m", OpenSsl.signAndEncrypt(theirs, pki.cert("nhs-lsc"),
                    pki.key("nhs-lsc"), pki.cert("hub"), "-aes-256-gcm"));
            assertThat(awaitOutbound(sftp, "other.withdrawal.p7m.error.json").path("code").asText())
                    .isEqualTo("NOT_FOUND");
        }
        JsonNode status = HubHttpClient.json(hub.client("lancs-police").get("api/v1/submissions/" + submissionId));
        assertThat(status.path("status").asText()).isEqualTo("WITHDRAWN");
    }

    @Test
    void aSealedSubmissionDroppedIntoInboundIsAcceptedAndRouted() throws IOException {
        TestPki pki = hub.pki();
        byte[] json = Submissions.current("C01-police-cce-blackpool.json");
        String submissionId = HubHttpClient.JSON.readTree(json).path("submissionId").asText();
        byte[] sealed = OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"), pki.key("lancs-police"),
                pki.cert("hub"), "-aes-256-gcm");

        try (ClientSession session = login("lancs-police", "lancs-police");
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            upload(sftp, "/inbound/c01.p7m", sealed);

            JsonNode receipt = awaitOutbound(sftp, "c01.p7m.receipt.json");
            assertThat(receipt.path("status").asText()).isEqualTo("ACCEPTED");
            assertThat(receipt.path("submissionId").asText()).isEqualTo(submissionId);
            assertThat(receipt.path("receiptId").asText()).isNotBlank();
            assertThat(names(sftp, "/inbound")).doesNotContain("c01.p7m");
            assertThat(names(sftp, "/outbound")).doesNotContain("c01.p7m.error.json");
        }
        hub.awaitPackages("police-fib", 1);
        assertThat(hub.app().registry().find("lancs-police", submissionId)).isPresent();
    }

    @Test
    void aJunkFileYieldsUndecryptableInOutbound() throws IOException {
        try (ClientSession session = login("lancs-police", "lancs-police");
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            upload(sftp, "/inbound/junk.p7m", "this is not a CMS envelope".getBytes(java.nio.charset.StandardCharsets.UTF_8));

            JsonNode problem = awaitOutbound(sftp, "junk.p7m.error.json");
            assertThat(problem.path("code").asText()).isEqualTo("UNDECRYPTABLE");
            assertThat(problem.path("status").asInt()).isEqualTo(400);
            assertThat(problem.path("detail").asText()).isNotBlank();
            assertThat(names(sftp, "/inbound")).doesNotContain("junk.p7m");
        }
    }

    @Test
    void aDropOverTheSizeLimitYieldsTooLargeAndIsNeverOpened() throws IOException {
        try (ClientSession session = login("lancs-police", "lancs-police");
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            upload(sftp, "/inbound/big.p7m", new byte[MAX_BYTES + 1]);

            JsonNode problem = awaitOutbound(sftp, "big.p7m.error.json");
            assertThat(problem.path("code").asText()).isEqualTo("TOO_LARGE");
            assertThat(problem.path("status").asInt()).isEqualTo(413);
            assertThat(names(sftp, "/inbound")).doesNotContain("big.p7m");
        }
    }

    @Test
    void anotherPartnersKeyOrARecipientCannotLogIn() {
        assertThatThrownBy(() -> login("lancs-police", "nhs-lsc")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> login("police-fib", "police-fib")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> login("nobody", "lancs-police")).isInstanceOf(IOException.class);
    }

    @Test
    void aPartnerSeesOnlyItsOwnFoldersAndHasNoShell() throws IOException {
        try (ClientSession other = login("nhs-lsc", "nhs-lsc")) {
            assertThat(other.isAuthenticated()).isTrue(); // nhs-lsc's folders exist now
        }
        Path sftpRoot = hub.app().settings().dataDirectory().resolve("sftp");
        try (ClientSession session = login("lancs-police", "lancs-police");
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            assertThat(names(sftp, "/")).containsExactlyInAnyOrder("inbound", "outbound");
            for (String escape : List.of("/..", "..", "../..", "/inbound/../..")) {
                List<String> seen;
                try {
                    seen = names(sftp, escape);
                } catch (SftpException refused) {
                    continue;
                }
                assertThat(seen).as(escape).containsExactlyInAnyOrder("inbound", "outbound");
            }
            assertThatThrownBy(() -> names(sftp, "/../nhs-lsc")).isInstanceOf(SftpException.class);
            try {
                upload(sftp, "/../nhs-lsc/inbound/x.p7m", new byte[] {1});
            } catch (SftpException refused) {
                // refused outright, or written inside its own root: either way never in nhs-lsc's folder
            }
            assertThat(sftpRoot.resolve("nhs-lsc").resolve("inbound").resolve("x.p7m")).doesNotExist();
            // ask for the server's answer to exec and shell requests, as OpenSSH's ssh does
            org.apache.sshd.core.CoreModuleProperties.REQUEST_EXEC_REPLY.set(session, true);
            org.apache.sshd.core.CoreModuleProperties.REQUEST_SHELL_REPLY.set(session, true);
            assertThat(refused(session.createExecChannel("id"))).as("exec refused").isTrue();
            assertThat(refused(session.createShellChannel())).as("shell refused").isTrue();
        }
        assertThat(Files.exists(sftpRoot.resolve("host-key"))).isTrue();
    }
}
