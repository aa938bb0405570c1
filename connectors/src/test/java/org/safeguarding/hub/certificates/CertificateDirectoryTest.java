package org.safeguarding.hub.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.DemoPki;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The directory remembers path validations, since routing asks for every recipient of every submission: a revocation
 * still takes effect at once when the new CRL is installed, and a certificate added to the directory within a second.
 */
class CertificateDirectoryTest {
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    Path dir;

    @Test
    void aRevocationTakesEffectAsSoonAsTheNewCrlIsInstalled() throws Exception {
        DemoPki.generate(dir, List.of("hub", "mash-bpl", "police-fib"), KeyAlgorithm.EC_P256,
                TestPki.PASSWORD.toCharArray(), Clock.fixed(T0.minus(Duration.ofDays(1)), ZoneOffset.UTC));
        CertificateDirectory certificates = new CertificateDirectory(dir,
                new TrustValidator(new FileTrustMaterial(dir.resolve("ca.pem"), dir.resolve("ca.crl"))));
        List<java.security.cert.X509Certificate> before = certificates.validCertificates("mash-bpl", T0);
        assertThat(before).hasSize(1);
        assertThat(certificates.validCertificates("mash-bpl", T0)).as("remembered").isEqualTo(before);

        DemoPki.revoke(dir, before.get(0), Clock.fixed(T0.minusSeconds(10), ZoneOffset.UTC));

        assertThat(certificates.validCertificates("mash-bpl", T0)).as("revoked: the CRL changed").isEmpty();
        assertThat(certificates.validCertificates("police-fib", T0)).as("the others stay valid").hasSize(1);
    }

    @Test
    void aCertificateAddedToTheDirectoryIsUsedWithinASecond() throws Exception {
        DemoPki.generate(dir, List.of("hub", "mash-bpl"), KeyAlgorithm.EC_P256, TestPki.PASSWORD.toCharArray(),
                Clock.fixed(T0.minus(Duration.ofDays(1)), ZoneOffset.UTC));
        CertificateDirectory certificates = new CertificateDirectory(dir,
                new TrustValidator(new FileTrustMaterial(dir.resolve("ca.pem"), dir.resolve("ca.crl"))));
        assertThat(certificates.validCertificates("police-fib", T0)).isEmpty();

        DemoPki.issue(dir, "police-fib", KeyAlgorithm.EC_P256, TestPki.PASSWORD.toCharArray(),
                Clock.fixed(T0.minus(Duration.ofHours(1)), ZoneOffset.UTC));

        Await.until("the new certificate to be used", Duration.ofSeconds(5),
                () -> certificates.validCertificates("police-fib", T0).size() == 1);
    }

    @Test
    void aPersonsCertificateBesideTheParticipantsIsNeverOneOfTheirs() throws Exception {
        DemoPki.generate(dir, List.of("hub", "police-fib"), KeyAlgorithm.EC_P256, TestPki.PASSWORD.toCharArray(),
                Clock.fixed(T0.minus(Duration.ofDays(1)), ZoneOffset.UTC));
        // one named like the participant, too: the OU makes it a person's, whatever the CN says
        for (String person : List.of("Demo Duty Officer", "police-fib")) {
            DemoPki.issuePerson(dir, "police-fib", person, KeyAlgorithm.EC_P256, TestPki.PASSWORD.toCharArray(),
                    Clock.fixed(T0.minus(Duration.ofDays(1)), ZoneOffset.UTC));
        }
        CertificateDirectory certificates = new CertificateDirectory(dir,
                new TrustValidator(new FileTrustMaterial(dir.resolve("ca.pem"), dir.resolve("ca.crl"))));

        assertThat(certificates.validCertificates("police-fib", T0)).hasSize(1)
                .allSatisfy(c -> assertThat(org.safeguarding.hub.crypto.Certificates.organisationalUnit(c)).isEmpty());
        assertThat(certificates.validCertificates("Demo Duty Officer", T0)).isEmpty();
    }
}
