package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

class DemoPkiTest {
    private static final Instant NOW = Instant.parse("2026-02-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void layoutProfilesAndValidity() throws Exception {
        DemoPki.generate(dir, List.of("hub", "lancs-police"), KeyAlgorithm.EC_P256, "changeit".toCharArray(), Clock.fixed(NOW, ZoneOffset.UTC));
        for (String f : List.of("ca.pem", "ca.key", "ca.crl", "hub.pem", "hub.key", "hub.p12", "lancs-police.pem", "lancs-police.key", "lancs-police.p12")) {
            assertThat(dir.resolve(f)).exists();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("hub.key")))).isEqualTo("rw-------");

        X509Certificate hub = Pem.readCertificate(dir.resolve("hub.pem"));
        X509Certificate police = Pem.readCertificate(dir.resolve("lancs-police.pem"));
        X509Certificate ca = Pem.readCertificate(dir.resolve("ca.pem"));
        assertThat(Certificates.commonName(hub)).isEqualTo("hub");
        assertThat(hub.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(hub.getNotAfter().toInstant()).isEqualTo(NOW.minus(Duration.ofDays(1)).plus(Duration.ofDays(730)));
        assertThat(ca.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
        assertThat(hub.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(police.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2").doesNotContain("1.3.6.1.5.5.7.3.1");
        Collection<List<?>> san = hub.getSubjectAlternativeNames();
        assertThat(san.stream().map(l -> String.valueOf(l.get(1))).toList()).contains("localhost", "127.0.0.1");
        assertThat(police.getSubjectAlternativeNames()).isNull();
        boolean[] ku = police.getKeyUsage();
        assertThat(ku[0]).as("digitalSignature").isTrue();
        assertThat(ku[4]).as("keyAgreement").isTrue();
        assertThat(police.getBasicConstraints()).isEqualTo(-1);
        assertThat(Pem.readCrl(dir.resolve("ca.crl")).getRevokedCertificates()).isNull();
    }

    @Test
    void anEcPkiGivesTheHubAnRsaEncryptionCertificateToo() throws Exception {
        DemoPki.generate(dir, List.of("hub", "lancs-police"), KeyAlgorithm.EC_P256, "changeit".toCharArray(), Clock.fixed(NOW, ZoneOffset.UTC));
        X509Certificate rsa = Pem.readCertificate(dir.resolve("hub-rsa.pem"));
        assertThat(Certificates.commonName(rsa)).isEqualTo("hub");
        assertThat(rsa.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(Certificates.keyBits(rsa.getPublicKey())).isEqualTo(2048);
        assertThat(rsa.getKeyUsage()[2]).as("keyEncipherment").isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("hub-rsa.key")))).isEqualTo("rw-------");
        Identity id = Identities.load(dir.resolve("hub-rsa.pem"), dir.resolve("hub-rsa.key"), null);
        byte[] sealed = new CmsSealer(Samples.STRICT).seal(Samples.JSON, Identities.load(dir.resolve("lancs-police.pem"),
                dir.resolve("lancs-police.key"), null), List.of(rsa), ContentEncryption.AES_256_CBC);
        assertThat(new EnvelopeOpener(List.of(Identities.load(dir.resolve("hub.pem"), dir.resolve("hub.key"), null), id),
                Samples.STRICT).open(sealed).content()).isEqualTo(Samples.JSON);
        // an RSA PKI's hub certificate is RSA already: no second one
        Path other = Files.createDirectory(dir.resolve("rsa"));
        DemoPki.generate(other, List.of("hub"), KeyAlgorithm.RSA_2048, "changeit".toCharArray(), Clock.systemUTC());
        assertThat(other.resolve("hub-rsa.pem")).doesNotExist();
    }

    @Test
    void openSslAcceptsCertificatesCrlAndPkcs12() throws Exception {
        DemoPki.generate(dir, List.of("hub"), KeyAlgorithm.RSA_2048, "changeit".toCharArray(), Clock.systemUTC());
        String ca = dir.resolve("ca.pem").toString();
        assertThat(new String(OpenSsl.run(List.of("verify", "-CAfile", ca, "-purpose", "sslserver", "-verify_hostname", "localhost",
                dir.resolve("hub.pem").toString()), null))).contains("OK");
        assertThat(new String(OpenSsl.run(List.of("verify", "-CAfile", ca, "-CRLfile", dir.resolve("ca.crl").toString(), "-crl_check",
                dir.resolve("hub.pem").toString()), null))).contains("OK");
        // OpenSSL 3 reads the PKCS#12 without -legacy
        byte[] keyOut = OpenSsl.run(List.of("pkcs12", "-in", dir.resolve("hub.p12").toString(), "-passin", "pass:changeit", "-nodes", "-nocerts"), null);
        assertThat(new String(keyOut)).contains("PRIVATE KEY");
        X509Certificate hub = Pem.readCertificate(dir.resolve("hub.pem"));
        boolean[] ku = hub.getKeyUsage();
        assertThat(ku[2]).as("keyEncipherment").isTrue();
    }

    @Test
    void issueMakesASecondValidCertificateAndRevokeListsIt() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        DemoPki.generate(dir, List.of("lancs-police"), KeyAlgorithm.EC_P256, "changeit".toCharArray(), clock);
        X509Certificate second = DemoPki.issue(dir, "lancs-police", KeyAlgorithm.RSA_2048, "changeit".toCharArray(), clock);
        String base = "lancs-police-" + second.getSerialNumber().toString(16);
        assertThat(dir.resolve(base + ".pem")).exists();
        assertThat(Identities.fromPkcs12(dir.resolve(base + ".p12"), "changeit".toCharArray()).certificate()).isEqualTo(second);
        TrustValidator validator = new TrustValidator(new FileTrustMaterial(dir.resolve("ca.pem"), dir.resolve("ca.crl")));
        validator.validate(second, List.of(), NOW);

        DemoPki.revoke(dir, second, clock);
        var crl = Pem.readCrl(dir.resolve("ca.crl"));
        assertThat(crl.getRevokedCertificate(second.getSerialNumber())).isNotNull();
        assertThat(crl.getRevokedCertificates()).hasSize(1);
        // the original certificate is untouched
        validator.validate(Pem.readCertificate(dir.resolve("lancs-police.pem")), List.of(), NOW);
        assertThat(TestPki.PARTICIPANTS).hasSize(19);
    }
}
