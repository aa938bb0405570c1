package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.Certificates;
import org.safeguarding.hub.crypto.Pem;

/** {@code hub pki init}: the demo PKI of CONTRACT.md, for every participant, and one-line errors. */
class PkiInitCommandTest {
    static final List<String> EVERYONE = List.of(
            "lancs-police", "nhs-lsc", "bwd-education", "bpl-education", "lancs-vcs", "bpl-csc",
            "police-fib", "mash-bwd", "mash-bpl", "mash-lancs", "health-safeguarding", "education-bwd", "education-bpl",
            "vcs-missing", "placing-manchester", "youth-justice", "hub", "ig-lead", "board");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run hub(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HubCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    static void oneLineError(Run r) {
        assertThat(r.exit()).as(r.err()).isNotZero();
        assertThat(r.err().lines().toList()).as(r.err()).singleElement()
                .satisfies(line -> assertThat(line).startsWith("hub: "));
    }

    @Test
    void createsTheCaAndEveryParticipantsFiles() throws Exception {
        Path out = dir.resolve("pki");

        Run r = hub("pki", "init", "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(out.resolve("ca.pem")).isRegularFile();
        assertThat(out.resolve("ca.key")).isRegularFile();
        assertThat(out.resolve("ca.crl")).isRegularFile();
        assertThat(Pem.readCrl(out.resolve("ca.crl")).getRevokedCertificates()).isNullOrEmpty();
        X509Certificate ca = Pem.readCertificate(out.resolve("ca.pem"));
        for (String p : EVERYONE) {
            X509Certificate cert = Pem.readCertificate(out.resolve(p + ".pem"));
            assertThat(Certificates.commonName(cert)).as(p).isEqualTo(p);
            cert.verify(ca.getPublicKey());
            assertThat(cert.getPublicKey()).as(p).isInstanceOf(ECPublicKey.class);
            assertThat(Pem.readPrivateKey(out.resolve(p + ".key")).getAlgorithm()).as(p).isIn("EC", "ECDSA");
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(out.resolve(p + ".p12"))) {
                ks.load(in, "changeit".toCharArray());
            }
            String alias = ks.aliases().nextElement();
            assertThat(ks.isKeyEntry(alias)).as(p).isTrue();
            assertThat(ks.getCertificate(alias)).as(p).isEqualTo(cert);
        }
        assertThat(r.out()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void theDemoPeopleAndAnotherPersonGetCertificatesForTheConsoleOnly() throws Exception {
        Path out = dir.resolve("pki");
        Run init = hub("pki", "init", "--out", out.toString());
        assertThat(init.out()).contains("and 3 people");

        Run jane = hub("pki", "person", "--pki", out.toString(), "--for", "ig-lead", "Jane O'Neil-Smith");

        assertThat(jane.exit()).as(jane.err()).isZero();
        assertThat(jane.out()).contains("person-ig-lead-jane-o-neil-smith.p12").doesNotContain("PRIVATE KEY");
        for (String base : List.of("person-ig-lead-demo-ig-officer", "person-board-demo-board-member",
                "person-police-fib-demo-duty-officer", "person-ig-lead-jane-o-neil-smith")) {
            X509Certificate c = Pem.readCertificate(out.resolve(base + ".pem"));
            assertThat(Certificates.tlsClientOnly(c)).as(base).isTrue();
            assertThat(Certificates.allowsSealingTo(c)).as(base).isFalse();
            assertThat(base).contains(Certificates.organisationalUnit(c));
        }
        oneLineError(hub("pki", "person", "--pki", out.toString(), "--for", "ig-lead", "<script>"));
        oneLineError(hub("pki", "person", "--pki", out.toString(), "--for", "../etc", "Jane"));
        oneLineError(hub("pki", "person", "--pki", dir.resolve("none").toString(), "--for", "ig-lead", "Jane"));
    }

    @Test
    void theHubsCertificateNamesLocalhostAndTheLoopbackAddress() throws Exception {
        Path out = dir.resolve("pki");
        assertThat(hub("pki", "init", "--out", out.toString()).exit()).isZero();

        X509Certificate hub = Pem.readCertificate(out.resolve("hub.pem"));

        assertThat(hub.getSubjectAlternativeNames()).isNotNull();
        assertThat(hub.getSubjectAlternativeNames()).anySatisfy(san -> {
            assertThat(san.get(0)).isEqualTo(2); // dNSName
            assertThat(san.get(1)).isEqualTo("localhost");
        });
        assertThat(hub.getSubjectAlternativeNames()).anySatisfy(san -> {
            assertThat(san.get(0)).isEqualTo(7); // iPAddress
            assertThat(san.get(1)).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void rsaMeansRsa3072() throws Exception {
        Path out = dir.resolve("pki-rsa");

        Run r = hub("pki", "init", "--out", out.toString(), "--algorithm", "rsa");

        assertThat(r.exit()).as(r.err()).isZero();
        for (String p : List.of("hub", "lancs-police", "mash-bpl", "board")) {
            X509Certificate c = Pem.readCertificate(out.resolve(p + ".pem"));
            assertThat(c.getPublicKey()).as(p).isInstanceOf(RSAPublicKey.class);
            assertThat(((RSAPublicKey) c.getPublicKey()).getModulus().bitLength()).as(p).isEqualTo(3072);
        }
    }

    @Test
    void anUnknownAlgorithmIsOneLineAndWritesNothing() {
        Path out = dir.resolve("never");

        Run r = hub("pki", "init", "--out", out.toString(), "--algorithm", "dsa");

        oneLineError(r);
        assertThat(r.err()).contains("--algorithm");
        assertThat(out.resolve("ca.key")).doesNotExist();
    }

    @Test
    void aDirectoryThatAlreadyHoldsACaIsNotOverwritten() throws Exception {
        Path out = dir.resolve("pki");
        assertThat(hub("pki", "init", "--out", out.toString()).exit()).isZero();
        byte[] caKey = Files.readAllBytes(out.resolve("ca.key"));

        Run again = hub("pki", "init", "--out", out.toString());

        oneLineError(again);
        assertThat(Files.readAllBytes(out.resolve("ca.key"))).isEqualTo(caKey);
        assertThat(again.err()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void aMissingRequiredOptionIsOneLine() {
        oneLineError(hub("pki", "init"));
    }

    @Test
    void anUnknownCommandIsOneLine() {
        oneLineError(hub("pki", "frobnicate"));
    }
}
