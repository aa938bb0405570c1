package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.app.HubCommand;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The partner and recipient command line against a running hub: {@code seal} then {@code submit}
 * prints the receipt; {@code receive} saves each package's JSON and acknowledges it; {@code open}
 * opens a fetched package and refuses one the hub did not sign.
 */
class CommandLineIT {
    static RunningHub hub;
    static TestPki pki;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        hub = RunningHub.start();
        pki = hub.pki();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    record Run(int exit, String out, String err) {
    }

    static Run hub(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HubCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    /** seal then submit C01 as lancs-police; returns the receipt printed by submit. */
    JsonNode sealAndSubmitC01() throws Exception {
        Path json = dir.resolve("c01.json");
        Files.write(json, Submissions.current("C01-police-cce-blackpool.json"));
        Path p7m = dir.resolve("c01.p7m");
        Run seal = hub("seal", "--in", json.toString(), "--cert", pki.cert("lancs-police").toString(),
                "--key", pki.key("lancs-police").toString(), "--to", pki.cert("hub").toString(),
                "--out", p7m.toString());
        assertThat(seal.exit()).as(seal.err()).isZero();
        assertThat(p7m).isRegularFile();
        assertThat(Files.readAllBytes(p7m)).as("sealed, not the plain JSON")
                .isNotEqualTo(Files.readAllBytes(json));

        Run submit = hub("submit", "--url", hub.baseUrl(), "--cert", pki.p12("lancs-police").toString(),
                "--ca", pki.caPem().toString(), p7m.toString());

        assertThat(submit.exit()).as(submit.err()).isZero();
        JsonNode receipt = HubHttpClient.JSON.readTree(submit.out());
        assertThat(receipt.path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt.path("receiptId").asText()).isNotBlank();
        assertThat(receipt.path("submissionId").asText())
                .isEqualTo(HubHttpClient.JSON.readTree(Files.readAllBytes(json)).path("submissionId").asText());
        return receipt;
    }

    /** Waits (bounded) until the recipient's inbox lists a package of the submission: routing commits after it completes. */
    static void awaitPackageOf(String recipient, String submissionId) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (HubHttpClient.json(hub.client(recipient).get("api/v1/inbox")).findValuesAsText("submissionId").stream()
                .noneMatch(submissionId::equals)) {
            assertThat(System.nanoTime()).as("a package of the submission for " + recipient).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    static List<String> inbox(String recipient) {
        return HubHttpClient.json(hub.client(recipient).get("api/v1/inbox")).findValuesAsText("packageId");
    }

    @Test
    void sealSubmitThenReceiveSavesAndAcknowledgesThePackage() throws Exception {
        NotifyBuilder routed = hub.routedNotifier(1);
        JsonNode receipt = sealAndSubmitC01();
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitRecorded();
        awaitPackageOf("mash-bpl", receipt.path("submissionId").asText());
        String submissionId = receipt.path("submissionId").asText();
        List<String> pending = inbox("mash-bpl");
        String ours = HubHttpClient.json(hub.client("mash-bpl").get("api/v1/inbox")).findParents("packageId").stream()
                .filter(e -> e.path("submissionId").asText().equals(submissionId))
                .map(e -> e.path("packageId").asText()).findFirst().orElseThrow();
        Path out = dir.resolve("received");

        Run receive = hub("receive", "--url", hub.baseUrl(), "--cert", pki.p12("mash-bpl").toString(),
                "--ca", pki.caPem().toString(), "--out", out.toString());

        assertThat(receive.exit()).as(receive.err()).isZero();
        assertThat(receive.out()).contains("acknowledged").contains(pending.size() + " packages received")
                .doesNotContain("NOT acknowledged");
        Path saved = out.resolve(ours + ".json");
        JsonNode pkg = HubHttpClient.JSON.readTree(Files.readAllBytes(saved));
        assertThat(pkg.path("recipient").asText()).isEqualTo("mash-bpl");
        assertThat(pkg.path("submissionId").asText()).isEqualTo(submissionId);
        assertThat(pkg.path("submission").has("source")).isFalse();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(pending.stream().map(id -> id + ".json").toList());
        }
        assertThat(inbox("mash-bpl")).as("acknowledged packages leave the inbox").isEmpty();
        assertThat(hub.app().auditTrail().find(new AuditQuery(null, "mash-bpl",
                AuditEventType.PACKAGE_ACKNOWLEDGED, null, null, null, 10)))
                .anySatisfy(e -> assertThat(e.packageId()).isEqualTo(ours));
    }

    /**
     * {@code withdraw} as the submitting partner: the receipt; the partner's status shows WITHDRAWN and each recipient
     * RECALLED; the recipient's pending package left its inbox and a recall is listed in its place, which
     * {@code receive} saves and acknowledges; the same withdrawal again answers the same receipt; another partner is
     * told there is no such submission of its own.
     */
    @Test
    void aRepeatedSubmissionSaysItIsARepeatAndACertificateTheHubRefusesSaysWhatToDo() throws Exception {
        JsonNode first = sealAndSubmitC01();
        Path p7m = dir.resolve("c01.p7m");

        Run again = hub("submit", "--url", hub.baseUrl(), "--cert", pki.p12("lancs-police").toString(),
                "--ca", pki.caPem().toString(), p7m.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(HubHttpClient.JSON.readTree(again.out()).path("receiptId").asText())
                .isEqualTo(first.path("receiptId").asText());
        assertThat(again.err()).startsWith("hub: a repeat: the hub already had this submission");

        // a certificate of another CA: the real hub refuses it in the handshake, and the command says so in one line
        TestPki foreign = TestPki.foreign();
        Run refused = hub("submit", "--url", hub.baseUrl(), "--cert", foreign.p12("lancs-police").toString(),
                "--ca", pki.caPem().toString(), p7m.toString());
        assertThat(refused.exit()).isEqualTo(5);
        assertThat(refused.err().strip()).startsWith("hub: the hub refused your client certificate (CN=lancs-police")
                .contains("give the certificate the partnership CA issued you with --cert")
                .doesNotContain("Exception").doesNotContain("\n\tat ");
        assertThat(refused.err().strip().lines()).hasSize(1);
    }

    @Test
    void withdrawRecallsTheSubmissionFromItsRecipients() throws Exception {
        NotifyBuilder routed = hub.routedNotifier(1);
        JsonNode receipt = sealAndSubmitC01();
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitRecorded();
        String submissionId = receipt.path("submissionId").asText();
        awaitPackageOf("mash-bpl", submissionId);
        String[] withdraw = {"withdraw", "--url", hub.baseUrl(), "--cert", pki.p12("lancs-police").toString(),
                "--ca", pki.caPem().toString(), "--to", pki.cert("hub").toString(), "--reason", "WRONG_SUBJECT",
                submissionId};

        Run first = hub(withdraw);

        assertThat(first.exit()).as(first.err()).isZero();
        JsonNode answer = HubHttpClient.JSON.readTree(first.out());
        assertThat(answer.path("status").asText()).isEqualTo("WITHDRAWN");
        assertThat(answer.path("receiptId").asText()).isNotEqualTo(receipt.path("receiptId").asText());
        JsonNode status = HubHttpClient.json(hub.client("lancs-police").get("api/v1/submissions/" + submissionId));
        assertThat(status.path("status").asText()).isEqualTo("WITHDRAWN");
        assertThat(status.path("recipients").findValuesAsText("state")).isNotEmpty().containsOnly("RECALLED");
        List<JsonNode> listed = HubHttpClient.json(hub.client("mash-bpl").get("api/v1/inbox")).findParents("packageId")
                .stream().filter(e -> e.path("submissionId").asText().equals(submissionId)).toList();
        assertThat(listed).as("the pending package left; the recall is listed").singleElement()
                .satisfies(e -> assertThat(e.path("kind").asText()).isEqualTo("recall"));
        Path out = dir.resolve("recalls");
        Run receive = hub("receive", "--url", hub.baseUrl(), "--cert", pki.p12("mash-bpl").toString(),
                "--ca", pki.caPem().toString(), "--out", out.toString());
        assertThat(receive.exit()).as(receive.err()).isZero();
        JsonNode recall = HubHttpClient.JSON.readTree(Files.readAllBytes(
                out.resolve(listed.get(0).path("packageId").asText() + ".json")));
        assertThat(recall.path("kind").asText()).isEqualTo("recall");
        assertThat(recall.path("reason").asText()).isEqualTo("WRONG_SUBJECT");

        Run again = hub(withdraw);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(HubHttpClient.JSON.readTree(again.out()).path("receiptId").asText())
                .isEqualTo(answer.path("receiptId").asText());

        Run other = hub("withdraw", "--url", hub.baseUrl(), "--cert", pki.p12("nhs-lsc").toString(),
                "--ca", pki.caPem().toString(), "--to", pki.cert("hub").toString(), "--reason", "DUPLICATE",
                submissionId);
        assertThat(other.exit()).isEqualTo(3);
        assertThat(other.err()).contains("HTTP 404").contains("only its own submissions");
        assertThat(hub.app().auditTrail().find(new AuditQuery(submissionId, null,
                AuditEventType.WITHDRAWAL_REJECTED, null, null, null, 10)))
                .anySatisfy(e -> assertThat(e.actor()).isEqualTo("nhs-lsc"));
    }

    @Test
    void correctSendsAnUpdateToTheRecipientsThatSeeTheChange() throws Exception {
        NotifyBuilder routed = hub.routedNotifier(1);
        JsonNode receipt = sealAndSubmitC01();
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitRecorded();
        String submissionId = receipt.path("submissionId").asText();
        awaitPackageOf("mash-bpl", submissionId);
        ObjectNode corrected = (ObjectNode) HubHttpClient.JSON.readTree(Files.readAllBytes(dir.resolve("c01.json")));
        corrected.put("narrative", "Corrected: the child was seen twice, not once.");
        Path file = Files.write(dir.resolve("c01-corrected.json"), HubHttpClient.JSON.writeValueAsBytes(corrected));
        String[] correct = {"correct", "--url", hub.baseUrl(), "--cert", pki.p12("lancs-police").toString(),
                "--ca", pki.caPem().toString(), "--to", pki.cert("hub").toString(), "--reason", "FACTUAL_ERROR",
                "--revision", "1", file.toString()};

        Run first = hub(correct);

        assertThat(first.exit()).as(first.err()).isZero();
        JsonNode answer = HubHttpClient.JSON.readTree(first.out());
        assertThat(answer.path("revision").asInt()).isEqualTo(1);
        assertThat(answer.path("updates").asInt()).as(first.out()).isPositive();
        JsonNode status = HubHttpClient.json(hub.client("lancs-police").get("api/v1/submissions/" + submissionId));
        assertThat(status.path("recipients").findValuesAsText("state")).contains("UPDATED");
        List<JsonNode> listed = HubHttpClient.json(hub.client("mash-bpl").get("api/v1/inbox")).findParents("packageId")
                .stream().filter(e -> e.path("submissionId").asText().equals(submissionId)).toList();
        assertThat(listed).as("the pending original left; the update is listed").singleElement()
                .satisfies(e -> assertThat(e.path("kind").asText()).isEqualTo("update"));
        Path out = dir.resolve("updates");
        Run receive = hub("receive", "--url", hub.baseUrl(), "--cert", pki.p12("mash-bpl").toString(),
                "--ca", pki.caPem().toString(), "--out", out.toString());
        assertThat(receive.exit()).as(receive.err()).isZero();
        JsonNode update = HubHttpClient.JSON.readTree(Files.readAllBytes(
                out.resolve(listed.get(0).path("packageId").asText() + ".json")));
        assertThat(update.path("kind").asText()).isEqualTo("update");
        assertThat(update.path("changedGroups").toString()).isEqualTo("[\"NARRATIVE\"]");
        assertThat(update.path("submission").path("narrative").asText()).startsWith("Corrected:");

        Run again = hub(correct);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(HubHttpClient.JSON.readTree(again.out()).path("receiptId").asText())
                .isEqualTo(answer.path("receiptId").asText());
        Run older = hub("correct", "--url", hub.baseUrl(), "--cert", pki.p12("lancs-police").toString(),
                "--ca", pki.caPem().toString(), "--to", pki.cert("hub").toString(), "--reason", "FACTUAL_ERROR",
                "--revision", "1", dir.resolve("c01.json").toString());
        assertThat(older.exit()).isEqualTo(3);
        assertThat(older.err()).contains("HTTP 409").contains("REVISION_CONFLICT");
    }

    @Test
    void openOpensAFetchedPackageAndRefusesOneTheHubDidNotSign() throws Exception {
        NotifyBuilder routed = hub.routedNotifier(1);
        String submissionId = sealAndSubmitC01().path("submissionId").asText();
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitRecorded();
        awaitPackageOf("police-fib", submissionId);
        String packageId = HubHttpClient.json(hub.client("police-fib").get("api/v1/inbox")).findParents("packageId")
                .stream().filter(e -> e.path("submissionId").asText().equals(submissionId))
                .map(e -> e.path("packageId").asText()).findFirst().orElseThrow();
        HttpResponse<byte[]> fetched = hub.client("police-fib").get("api/v1/inbox/" + packageId);
        assertThat(fetched.statusCode()).isEqualTo(200);
        Path p7m = Files.write(dir.resolve("package.p7m"), fetched.body());
        Path json = dir.resolve("opened").resolve("package.json");

        Run open = hub("open", "--in", p7m.toString(), "--cert", pki.cert("police-fib").toString(),
                "--key", pki.key("police-fib").toString(), "--ca", pki.caPem().toString(), "--out", json.toString());

        assertThat(open.exit()).as(open.err()).isZero();
        assertThat(Files.getPosixFilePermissions(json)).as("opened content is the owner's alone")
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(json.getParent()))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        JsonNode pkg = HubHttpClient.JSON.readTree(Files.readAllBytes(json));
        assertThat(pkg.path("packageId").asText()).isEqualTo(packageId);
        assertThat(pkg.path("submission").path("source").path("sourceDetails").asText()).isNotBlank();
        assertThat(open.out()).as("intelligence is not printed unless asked").doesNotContain("sourceDetails");

        // a package-shaped envelope sealed to police-fib, but signed by a partner instead of the hub
        Path forged = dir.resolve("forged.p7m");
        Run seal = hub("seal", "--in", json.toString(), "--cert", pki.cert("lancs-police").toString(),
                "--key", pki.key("lancs-police").toString(), "--to", pki.cert("police-fib").toString(),
                "--out", forged.toString());
        assertThat(seal.exit()).as(seal.err()).isZero();
        Path forgedOut = dir.resolve("forged.json");

        Run refused = hub("open", "--in", forged.toString(), "--cert", pki.cert("police-fib").toString(),
                "--key", pki.key("police-fib").toString(), "--ca", pki.caPem().toString(),
                "--out", forgedOut.toString());

        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err().lines().toList()).singleElement()
                .satisfies(line -> assertThat(line).startsWith("hub: ").contains("not signed by the hub"));
        assertThat(forgedOut).doesNotExist();
    }

    @Test
    void submitDirSendsEveryFileReportsEachAnswerAndResumesWithoutResending() throws Exception {
        Path outbox = dir.resolve("outbox");
        Files.createDirectories(outbox);
        for (String name : List.of("a", "b", "c")) {
            Files.write(outbox.resolve(name + ".p7m"), OpenSsl.signAndEncrypt(
                    Submissions.current("C01-police-cce-blackpool.json"), pki.cert("lancs-police"),
                    pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm"));
        }
        Files.writeString(outbox.resolve("junk.p7m"), "not a sealed submission");
        Files.writeString(outbox.resolve("notes.txt"), "not sent: not a .p7m");
        NotifyBuilder routed = hub.routedNotifier(3);

        Run first = hub("submit", "--url", hub.baseUrl(), "--cert", pki.p12("lancs-police").toString(),
                "--ca", pki.caPem().toString(), "--dir", outbox.toString(), "--concurrency", "2");

        assertThat(first.exit()).as("one file was refused").isEqualTo(3);
        assertThat(first.out()).contains("4 files: 3 accepted, 1 refused, 0 to retry, 0 already done");
        assertThat(first.err()).as("no terminal here: no progress bar").doesNotContain("4/4");
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitRecorded();
        List<String> ledger = Files.readAllLines(outbox.resolve(".hub-submit.log"));
        assertThat(ledger).hasSize(4);
        assertThat(ledger).filteredOn(l -> l.startsWith("junk.p7m\tREFUSED\t400\t")).singleElement()
                .satisfies(l -> assertThat(l).contains("UNDECRYPTABLE"));

        Run again = hub("submit", "--url", hub.baseUrl(), "--cert", pki.p12("lancs-police").toString(),
                "--ca", pki.caPem().toString(), "--dir", outbox.toString());

        assertThat(again.out()).contains("4 files: 0 accepted, 0 refused, 0 to retry, 4 already done");
        assertThat(Files.readAllLines(outbox.resolve(".hub-submit.log"))).as("nothing sent twice").hasSize(4);
    }

    @Test
    void receiveAsARecipientTakesItsKeysFromThePkiFolder() throws Exception {
        NotifyBuilder routed = hub.routedNotifier(1);
        JsonNode receipt = sealAndSubmitC01();
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitRecorded();
        awaitPackageOf("police-fib", receipt.path("submissionId").asText());
        int pending = inbox("police-fib").size();

        Run receive = hub("receive", "--url", hub.baseUrl(), "--as", "police-fib", "--pki", pki.dir().toString(),
                "--out", dir.resolve("fib").toString());

        assertThat(receive.exit()).as(receive.err()).isZero();
        assertThat(receive.err()).contains("[" + pending + "/" + pending + "]");
        assertThat(receive.out()).contains(pending + " packages received");
        assertThat(inbox("police-fib")).isEmpty();
    }
}
