package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.DemoPki;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.Pem;

/** Demo data kept for a year still runs: the demo CA publishes a fresh CRL, keeping its revocations, when one is due. */
class DemoDataTest {
    @TempDir
    Path dir;

    @Test
    void aDemoCrlNearOrPastItsNextUpdateIsPublishedAgainWithItsRevocations() throws Exception {
        DemoData demo = new DemoData(dir);
        Clock yearAgo = Clock.offset(Clock.systemUTC(), Duration.ofDays(-366));
        DemoPki.generate(demo.pki(), List.of("hub", "police-fib"), KeyAlgorithm.EC_P256, "changeit".toCharArray(),
                yearAgo);
        var revoked = Pem.readCertificate(demo.pki().resolve("police-fib.pem"));
        DemoPki.revoke(demo.pki(), revoked, yearAgo);
        assertThat(Pem.readCrl(demo.pki().resolve("ca.crl")).getNextUpdate().toInstant()).isBefore(Instant.now());

        assertThat(demo.publishCrlIfDue(Clock.systemUTC())).isTrue();

        var crl = Pem.readCrl(demo.pki().resolve("ca.crl"));
        assertThat(crl.getNextUpdate().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(300)));
        assertThat(crl.getRevokedCertificate(revoked.getSerialNumber())).as("the revocation is kept").isNotNull();
        assertThat(demo.publishCrlIfDue(Clock.systemUTC())).as("not again while it is current").isFalse();
    }

    @Test
    void theDemoHubHoldsAnRsaEncryptionCertificateBesideItsEcOne() throws Exception {
        DemoData demo = new DemoData(dir);
        assertThat(demo.createIfMissing()).isTrue();
        var settings = org.safeguarding.hub.settings.SettingsLoader.load(demo.configDirectory());
        assertThat(settings.identity().rsaCertificate()).isEqualTo(demo.pki().resolve("hub-rsa.pem").normalize());
        var hub = HubIdentity.load(settings.identity());
        var rsa = HubIdentity.loadRsa(settings.identity(), hub).orElseThrow();
        assertThat(hub.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(rsa.certificate().getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(rsa.participantId()).isEqualTo("hub");
    }
}
