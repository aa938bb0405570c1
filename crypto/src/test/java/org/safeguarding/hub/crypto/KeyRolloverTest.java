package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.crypto.CryptoFailure.UNTRUSTED_SIGNER;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/** The hub holds several keys during rollover; messages to any of them open. */
class KeyRolloverTest {
    private static final Instant NOW = Instant.parse("2026-04-01T09:00:00Z");

    @TempDir
    Path dir;

    @Test
    void envelopesToTheOldOrTheNewHubCertificateOpen() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        TestPki pki = TestPki.createIn(dir, List.of("hub", "lancs-police"), KeyAlgorithm.EC_P256, clock);
        X509Certificate newHub = DemoPki.issue(dir, "hub", KeyAlgorithm.RSA_2048, "changeit".toCharArray(), clock);
        String base = "hub-" + newHub.getSerialNumber().toString(16);
        Identity newIdentity = Identities.fromPem(dir.resolve(base + ".pem"), dir.resolve(base + ".key"));
        EnvelopeOpener opener = new EnvelopeOpener(List.of(pki.identity("hub"), newIdentity), Samples.POLICY);

        byte[] toNew = OpenSsl.signAndEncrypt(Samples.JSON, pki.cert("lancs-police"), pki.key("lancs-police"), dir.resolve(base + ".pem"), "-aes-256-gcm");
        byte[] toOld = OpenSsl.signAndEncrypt(Samples.JSON, pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"), "-aes-256-cbc");
        byte[] toBoth = new CmsSealer(Samples.POLICY).seal(Samples.JSON, pki.identity("lancs-police"),
                List.of(pki.identity("hub").certificate(), newHub), ContentEncryption.AES_256_GCM);

        for (byte[] env : List.of(toNew, toOld, toBoth)) {
            assertThat(opener.open(env).content()).isEqualTo(Samples.JSON);
        }
        assertThat(new EnvelopeOpener(List.of(newIdentity), Samples.POLICY).open(toBoth).content()).isEqualTo(Samples.JSON);
    }

    @Test
    void certificateWithoutDigitalSignatureIsNotAcceptedAsSigner() throws Exception {
        TestPki pki = TestPki.createIn(dir, List.of("hub"), KeyAlgorithm.EC_P256, Clock.fixed(NOW, ZoneOffset.UTC));
        CertAuthority ca = DemoPki.loadCa(dir);
        KeyPair kp = CertAuthority.generateKeyPair(KeyAlgorithm.EC_P256);
        X509Certificate keyAgreementOnly = ca.issue("lancs-police", kp.getPublic(), CertAuthority.Profile.PARTICIPANT,
                NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(10)), org.bouncycastle.asn1.x509.KeyUsage.keyAgreement);
        CryptoException e = Failures.expectFailure(UNTRUSTED_SIGNER, () -> Samples.validator(pki).validate(keyAgreementOnly, List.of(), NOW));
        assertThat(e.getMessage()).contains("digitalSignature");
    }
}
