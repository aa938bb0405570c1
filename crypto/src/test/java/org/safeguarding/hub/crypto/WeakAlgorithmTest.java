package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.crypto.CryptoFailure.WEAK_ALGORITHM;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/** What the default policy refuses, made by OpenSSL as a partner would. */
class WeakAlgorithmTest {
    private final TestPki ec = TestPki.ec();
    private final TestPki rsa = TestPki.rsa();

    @TempDir
    Path dir;

    @Test
    void sha1SignatureDigestIsRefused() {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), ec.cert("hub"), "-aes-256-gcm",
                List.of("-md", "sha1"), List.of());
        CryptoException e = Failures.expectFailure(WEAK_ALGORITHM, () -> Samples.hubOpener(ec).open(env));
        assertThat(e.getMessage()).contains("SHA-1");
    }

    @Test
    void md5SignatureDigestIsRefused() {
        byte[] signed = OpenSsl.sign(Samples.JSON, rsa.cert("lancs-police"), rsa.key("lancs-police"), List.of("-md", "md5"));
        Failures.expectFailure(WEAK_ALGORITHM, () -> new SignatureVerifier(Samples.POLICY).verify(signed));
    }

    @Test
    void tripleDesContentEncryptionIsRefused() {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, rsa.cert("lancs-police"), rsa.key("lancs-police"), rsa.cert("hub"), "-des3");
        assertThat(OpenSsl.print(env)).contains("des-ede3-cbc");
        CryptoException e = Failures.expectFailure(WEAK_ALGORITHM, () -> Samples.hubOpener(rsa).open(env));
        assertThat(e.getMessage()).contains("DES-EDE3-CBC");
    }

    @Test
    void aes128IsNotWhatTheContractAllows() {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), ec.cert("hub"), "-aes-128-cbc");
        Failures.expectFailure(WEAK_ALGORITHM, () -> Samples.hubOpener(ec).open(env));
    }

    @Test
    void rsa1024SignerIsRefused() throws Exception {
        CertAuthority ca = DemoPki.loadCa(rsa.dir());
        KeyPair small = CertAuthority.generateKeyPair("RSA", 1024);
        Instant now = Instant.now();
        X509Certificate cert = ca.issue("lancs-police", small.getPublic(), CertAuthority.Profile.PARTICIPANT, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)));
        DemoPki.writeFiles(dir, "weak", "weak", small, cert, List.of(cert), "changeit".toCharArray());

        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, dir.resolve("weak.pem"), dir.resolve("weak.key"), rsa.cert("hub"), "-aes-256-gcm");
        CryptoException e = Failures.expectFailure(WEAK_ALGORITHM, () -> Samples.hubOpener(rsa).open(env));
        assertThat(e.getMessage()).contains("1024");

        Identity weak = new Identity(small.getPrivate(), cert, List.of(cert));
        Failures.expectFailure(WEAK_ALGORITHM, () -> new CmsSealer(Samples.POLICY).sign(Samples.JSON, weak));
        Failures.expectFailure(WEAK_ALGORITHM,
                () -> new CmsSealer(Samples.POLICY).encrypt(Samples.JSON, List.of(cert), ContentEncryption.AES_256_GCM));
        // the check routing makes before it seals anything refuses the same
        Failures.expectFailure(WEAK_ALGORITHM, () -> new CmsSealer(Samples.POLICY).requireSealable(rsa.identity("hub"),
                List.of(cert), ContentEncryption.AES_256_GCM));
        Failures.expectFailure(WEAK_ALGORITHM, () -> new CmsSealer(Samples.POLICY).requireSealable(weak,
                List.of(rsa.identity("mash-bpl").certificate()), ContentEncryption.AES_256_GCM));
    }

    @Test
    void aStricterPolicyRefusesTheSha1Kdf() {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), ec.cert("hub"), "-aes-256-gcm");
        AlgorithmPolicy strict = Samples.POLICY.withAllowedKeyManagement(java.util.Set.of("ECDH-SHA256KDF", "AES-256-WRAP"));
        EnvelopeOpener opener = new EnvelopeOpener(List.of(ec.identity("hub")), strict);
        CryptoException e = Failures.expectFailure(WEAK_ALGORITHM, () -> opener.open(env));
        assertThat(e.getMessage()).contains("ECDH-SHA1KDF");
    }

    @Test
    void sealerRefusesWhatThePolicyRefuses() throws Exception {
        AlgorithmPolicy noCbc = Samples.POLICY.withAllowedContentEncryption(java.util.Set.of("AES-256-GCM"));
        Failures.expectFailure(WEAK_ALGORITHM, () -> new CmsSealer(noCbc).encrypt(Samples.JSON,
                List.of(ec.identity("hub").certificate()), ContentEncryption.AES_256_CBC));
        Failures.expectFailure(WEAK_ALGORITHM, () -> new CmsSealer(noCbc).requireSealable(ec.identity("hub"),
                List.of(ec.identity("mash-bpl").certificate()), ContentEncryption.AES_256_CBC));
        AlgorithmPolicy noSha1Kdf = Samples.POLICY.withAllowedKeyManagement(java.util.Set.of("ECDH-SHA256KDF",
                "AES-256-WRAP", "RSA-OAEP"));
        Failures.expectFailure(WEAK_ALGORITHM, () -> new CmsSealer(noSha1Kdf, SealerOptions.defaults()
                .withEcdhKdf(SealerOptions.EcdhKdf.SHA1)).requireSealable(ec.identity("hub"),
                List.of(ec.identity("mash-bpl").certificate()), ContentEncryption.AES_256_GCM));
        // and passes what sealing passes
        new CmsSealer(Samples.POLICY).requireSealable(ec.identity("hub"), List.of(ec.identity("mash-bpl").certificate()),
                ContentEncryption.AES_256_GCM);
    }
}
