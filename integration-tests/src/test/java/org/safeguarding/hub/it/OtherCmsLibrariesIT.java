package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.DemoPki;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * Two CMS implementations other than OpenSSL and Bouncy Castle against the real hub, through the example clients of
 * {@code docs/examples/clients/}: PKI.js on Node (seals a submission to the hub's RSA certificate with RSA-OAEP in
 * EnvelopedData; decrypts and verifies a package for a recipient declared {@code enveloped-aes256-cbc-rsa-oaep}) and
 * Python's {@code cryptography} (seals with RSA PKCS#1 v1.5 for a partner allowed it; decrypts a package for a recipient
 * declared {@code enveloped-aes256-cbc-rsa-pkcs1}, whose signature OpenSSL then verifies, as Python cannot). Node (with
 * {@code npm ci --prefix docs/examples/clients/pkijs}) and Python 3 with {@code cryptography} are required: without them
 * these tests fail, they do not skip.
 */
class OtherCmsLibrariesIT {
    static final Path CLIENTS = Path.of("..", "docs", "examples", "clients").toAbsolutePath().normalize();
    static final Path PKIJS = CLIENTS.resolve("pkijs");
    static final Path PYTHON = CLIENTS.resolve("python");
    static Path work;
    static TestPki pki;
    static RunningHub hub;
    /** The recipients' RSA certificates, issued beside their EC ones: file bases in the PKI directory. */
    static String mashRsa;
    static String fibRsa;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("hub-cms-clients");
        pki = TestPki.createIn(work.resolve("pki"), TestPki.PARTICIPANTS, KeyAlgorithm.EC_P256, Clock.systemUTC());
        mashRsa = rsaCertificate("mash-bpl");
        fibRsa = rsaCertificate("police-fib");
        hub = RunningHub.start(pki, """
                identity:
                  rsaCertificate: %s
                  rsaPrivateKey: %s
                """.formatted(pki.dir().resolve("hub-rsa.pem"), pki.dir().resolve("hub-rsa.key")), yaml -> yaml
                .replace(participant("lancs-police"), participant("lancs-police")
                        + "    allowRsaPkcs1v15: true      # Python's cryptography encrypts no other way\n")
                .replace(participant("mash-bpl"), participant("mash-bpl")
                        + "    packageFormat: enveloped-aes256-cbc-rsa-oaep   # PKI.js: no AuthEnvelopedData\n")
                .replace(participant("police-fib"), participant("police-fib")
                        + "    packageFormat: enveloped-aes256-cbc-rsa-pkcs1  # Python's cryptography\n"
                        + "    allowRsaPkcs1v15: true\n"));
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // best effort: a temporary directory
            }
        }
    }

    private static String participant(String id) {
        return "  - id: " + id + "\n";
    }

    private static String rsaCertificate(String id) throws IOException {
        BigInteger serial = DemoPki.issue(pki.dir(), id, KeyAlgorithm.RSA_2048, TestPki.PASSWORD.toCharArray(),
                Clock.systemUTC()).getSerialNumber();
        return id + "-" + serial.toString(16);
    }

    @Test
    void pkijsSealsASubmissionTheHubAcceptsAndOpensAndVerifiesAPackage() throws Exception {
        requirePkijs();
        Path in = write("c01.json", Submissions.current("C01-police-cce-blackpool.json"));
        String submissionId = HubHttpClient.JSON.readTree(in.toFile()).path("submissionId").asText();
        Path sealed = work.resolve("pkijs-submission.p7m");
        run(PKIJS, "node", "seal.mjs", "--in", in.toString(), "--cert", pki.cert("lancs-police").toString(),
                "--key", pki.key("lancs-police").toString(), "--recip", pki.dir().resolve("hub-rsa.pem").toString(),
                "--out", sealed.toString());
        assertThat(keyTransport(Files.readAllBytes(sealed))).as("RSA-OAEP to the hub's RSA certificate")
                .isEqualTo(PKCSObjectIdentifiers.id_RSAES_OAEP.getId());

        accepted("lancs-police", Files.readAllBytes(sealed), submissionId);

        byte[] pkg = packageFor("mash-bpl", submissionId);
        assertThat(keyTransport(pkg)).as("mash-bpl's format: EnvelopedData, RSA-OAEP")
                .isEqualTo(PKCSObjectIdentifiers.id_RSAES_OAEP.getId());
        Path p7m = write("mash-bpl.p7m", pkg);
        Path json = work.resolve("mash-bpl.json");
        run(PKIJS, "node", "open.mjs", "--in", p7m.toString(), "--cert", pki.dir().resolve(mashRsa + ".pem").toString(),
                "--key", pki.dir().resolve(mashRsa + ".key").toString(), "--ca", pki.caPem().toString(),
                "--out", json.toString());
        JsonNode opened = HubHttpClient.JSON.readTree(json.toFile());
        assertThat(opened.path("submissionId").asText()).isEqualTo(submissionId);

        // a tampered package is refused by PKI.js's verification or decryption, not printed
        byte[] tampered = pkg.clone();
        tampered[tampered.length - 40] ^= 0x01;
        Path bad = write("mash-bpl-tampered.p7m", tampered);
        assertThat(runExpectingFailure(PKIJS, "node", "open.mjs", "--in", bad.toString(), "--cert",
                pki.dir().resolve(mashRsa + ".pem").toString(), "--key", pki.dir().resolve(mashRsa + ".key").toString(),
                "--ca", pki.caPem().toString(), "--out", work.resolve("tampered.json").toString())).startsWith("error:");
        assertThat(work.resolve("tampered.json")).doesNotExist();
    }

    @Test
    void pythonSealsWithPkcs1ForAnAllowedPartnerAndDecryptsAPackageMadeForIt() throws Exception {
        Path in = write("c01-python.json", Submissions.current("C01-police-cce-blackpool.json"));
        String submissionId = HubHttpClient.JSON.readTree(in.toFile()).path("submissionId").asText();
        Path sealed = work.resolve("python-submission.p7m");
        run(PYTHON, "python3", "seal.py", "--in", in.toString(), "--cert", pki.cert("lancs-police").toString(),
                "--key", pki.key("lancs-police").toString(), "--recip", pki.dir().resolve("hub-rsa.pem").toString(),
                "--out", sealed.toString());
        assertThat(keyTransport(Files.readAllBytes(sealed))).as("RSA PKCS#1 v1.5 to the hub's RSA certificate")
                .isEqualTo(PKCSObjectIdentifiers.rsaEncryption.getId());

        accepted("lancs-police", Files.readAllBytes(sealed), submissionId);

        byte[] pkg = packageFor("police-fib", submissionId);
        assertThat(keyTransport(pkg)).as("police-fib's format: EnvelopedData, RSA PKCS#1 v1.5")
                .isEqualTo(PKCSObjectIdentifiers.rsaEncryption.getId());
        Path p7m = write("police-fib.p7m", pkg);
        Path signed = work.resolve("police-fib.signed.der");
        Path unverified = work.resolve("police-fib.unverified.json");
        run(PYTHON, "python3", "open.py", "--in", p7m.toString(), "--cert", pki.dir().resolve(fibRsa + ".pem").toString(),
                "--key", pki.dir().resolve(fibRsa + ".key").toString(), "--signed", signed.toString(),
                "--unverified-content", unverified.toString());
        // Python cannot verify SignedData: what it decrypted verifies with OpenSSL, as the client's README says
        byte[] verified = OpenSsl.run(List.of("cms", "-verify", "-binary", "-inform", "DER", "-in", signed.toString(),
                "-CAfile", pki.caPem().toString(), "-purpose", "any"), null);
        assertThat(Files.readAllBytes(unverified)).isEqualTo(verified);
        assertThat(HubHttpClient.JSON.readTree(verified).path("submissionId").asText()).isEqualTo(submissionId);
    }

    @Test
    void pkcs1FromAPartnerNotAllowedItIsRefusedBeforeAnythingIsDecrypted() throws Exception {
        Path in = write("c02.json", Submissions.current("C02-health-cse-blackburn.json"));
        Path sealed = work.resolve("python-not-allowed.p7m");
        run(PYTHON, "python3", "seal.py", "--in", in.toString(), "--cert", pki.cert("nhs-lsc").toString(),
                "--key", pki.key("nhs-lsc").toString(), "--recip", pki.dir().resolve("hub-rsa.pem").toString(),
                "--out", sealed.toString());
        HttpResponse<byte[]> r = hub.client("nhs-lsc").submit(Files.readAllBytes(sealed));
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(400);
        JsonNode problem = HubHttpClient.json(r);
        assertThat(problem.path("code").asText()).isEqualTo("UNDECRYPTABLE");
        assertThat(problem.path("detail").asText()).contains("PKCS#1 v1.5").contains("allowRsaPkcs1v15");
    }

    /**
     * The hub is no PKCS#1 v1.5 padding oracle over HTTPS either: for a partner allowed PKCS#1 v1.5, an envelope whose
     * encrypted key has bad padding and one whose key has good padding but is wrong get the same answer.
     */
    @Test
    void aForgedPkcs1KeyAnswersTheSameWhateverItsPadding() throws Exception {
        Path in = write("c01-forged.json", Submissions.current("C01-police-cce-blackpool.json"));
        Path sealed = work.resolve("python-forged.p7m");
        run(PYTHON, "python3", "seal.py", "--in", in.toString(), "--cert", pki.cert("lancs-police").toString(),
                "--key", pki.key("lancs-police").toString(), "--recip", pki.dir().resolve("hub-rsa.pem").toString(),
                "--out", sealed.toString());
        byte[] env = Files.readAllBytes(sealed);
        byte[] key = KeyTransRecipientInfo.getInstance(RecipientInfo.getInstance(EnvelopedData.getInstance(
                ContentInfo.getInstance(env).getContent()).getRecipientInfos().getObjectAt(0)).getInfo())
                .getEncryptedKey().getOctets();
        int at = indexOf(env, key);
        byte[] badPadding = env.clone();
        badPadding[at + key.length / 2] ^= 0x01;
        javax.crypto.Cipher rsa = javax.crypto.Cipher.getInstance("RSA/ECB/PKCS1Padding");
        rsa.init(javax.crypto.Cipher.ENCRYPT_MODE, org.safeguarding.hub.crypto.Pem.readCertificate(
                pki.dir().resolve("hub-rsa.pem")).getPublicKey());
        byte[] wrongKey = env.clone();
        System.arraycopy(rsa.doFinal(new byte[32]), 0, wrongKey, at, key.length);
        List<String> answers = new ArrayList<>();
        for (byte[] forged : List.of(badPadding, wrongKey)) {
            HttpResponse<byte[]> r = hub.client("lancs-police").submit(forged);
            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode problem = HubHttpClient.json(r);
            assertThat(problem.path("code").asText()).isEqualTo("UNDECRYPTABLE");
            answers.add(problem.path("title").asText() + "|" + problem.path("detail").asText());
        }
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
    }

    // ---------------------------------------------------------------- helpers

    private static int indexOf(byte[] haystack, byte[] needle) {
        int at = org.safeguarding.hub.crypto.testing.Bytes.indexOf(haystack, needle);
        if (at < 0) {
            throw new AssertionError("not found");
        }
        return at;
    }

    private static void accepted(String partner, byte[] sealed, String submissionId) {
        org.apache.camel.builder.NotifyBuilder routed = hub.routedNotifier(1);
        HttpResponse<byte[]> r = hub.client(partner).submit(sealed);
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        assertThat(HubHttpClient.json(r).path("submissionId").asText()).isEqualTo(submissionId);
        assertThat(routed.matches(60, TimeUnit.SECONDS)).as("routed").isTrue();
        hub.awaitRecorded();
    }

    /** The sealed package of {@code submissionId} in {@code recipient}'s inbox, over HTTPS. */
    private static byte[] packageFor(String recipient, String submissionId) {
        HttpResponse<byte[]> list = hub.client(recipient).get("api/v1/inbox");
        assertThat(list.statusCode()).isEqualTo(200);
        String packageId = null;
        for (JsonNode p : HubHttpClient.json(list)) {
            if (submissionId.equals(p.path("submissionId").asText())) {
                packageId = p.path("packageId").asText();
            }
        }
        assertThat(packageId).as(recipient + " holds a package of " + submissionId).isNotNull();
        HttpResponse<byte[]> r = hub.client(recipient).get("api/v1/inbox/" + packageId);
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The first RecipientInfo's key transport of an EnvelopedData (which the RSA formats must be). */
    private static String keyTransport(byte[] envelope) {
        ContentInfo ci = ContentInfo.getInstance(envelope); // BER or DER
        assertThat(ci.getContentType()).isEqualTo(CMSObjectIdentifiers.envelopedData);
        EnvelopedData e = EnvelopedData.getInstance(ci.getContent());
        return KeyTransRecipientInfo.getInstance(RecipientInfo.getInstance(e.getRecipientInfos().getObjectAt(0))
                .getInfo()).getKeyEncryptionAlgorithm().getAlgorithm().getId();
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        Path p = work.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static void requirePkijs() {
        if (!Files.isDirectory(PKIJS.resolve("node_modules").resolve("pkijs"))) {
            fail("PKI.js is not installed for the example client: run npm ci --prefix docs/examples/clients/pkijs"
                    + " (.ci/run does)");
        }
    }

    /** Runs a client; fails the test with its output when it cannot start or exits non-zero. */
    private static String run(Path dir, String... command) throws Exception {
        Result r = exec(dir, command);
        if (r.exit != 0) {
            fail(String.join(" ", command) + " exited " + r.exit + ":\n" + r.output);
        }
        return r.output;
    }

    private static String runExpectingFailure(Path dir, String... command) throws Exception {
        Result r = exec(dir, command);
        assertThat(r.exit).as(r.output).isNotZero();
        return r.output;
    }

    private record Result(int exit, String output) {
    }

    private static Result exec(Path dir, String... command) throws Exception {
        Path out = Files.createTempFile(work, "client-", ".out");
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is needed by this test (and installed by .ci/run) but could not be"
                    + " started: " + e.getMessage(), e);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 120 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
