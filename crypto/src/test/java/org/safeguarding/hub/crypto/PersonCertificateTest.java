package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.OpenSsl;

/**
 * A person's certificate (for a browser on the console) authenticates a TLS client and does nothing else: it names
 * the participant in its OU and the person in its CN, passes the hub's TLS client check, and is refused as a
 * recipient to seal to and as the signer of a CMS message.
 */
class PersonCertificateTest {
    private static final Instant NOW = Instant.now();
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    @BeforeEach
    void pki() throws Exception {
        DemoPki.generate(dir, List.of("hub", "ig-lead"), KeyAlgorithm.EC_P256, PASSWORD, CLOCK);
    }

    private X509Certificate person(KeyAlgorithm alg) throws Exception {
        return DemoPki.issuePerson(dir, "ig-lead", "Jane Smith", alg, PASSWORD, CLOCK);
    }

    @Test
    void namesTheParticipantAndThePersonAndIsWrittenAsBrowsersImportIt() throws Exception {
        X509Certificate c = person(KeyAlgorithm.EC_P256);
        String base = DemoPki.personFileBase("ig-lead", "Jane Smith");

        assertThat(base).isEqualTo("person-ig-lead-jane-smith");
        assertThat(Certificates.organisationalUnit(c)).isEqualTo("ig-lead");
        assertThat(Certificates.commonName(c)).isEqualTo("Jane Smith");
        assertThat(Pem.readCertificate(dir.resolve(base + ".pem"))).isEqualTo(c);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(base + ".key"))))
                .isEqualTo("rw-------");
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dir.resolve(base + ".p12"))) {
            p12.load(in, PASSWORD);
        }
        String alias = p12.aliases().nextElement();
        assertThat(p12.getKey(alias, PASSWORD)).isInstanceOf(PrivateKey.class);
        assertThat(p12.getCertificateChain(alias)).hasSize(2);
        // OpenSSL reads it as a TLS client certificate and nothing else
        String purposes = new String(OpenSsl.run(List.of("x509", "-in", dir.resolve(base + ".pem").toString(),
                "-noout", "-purpose"), new byte[0]), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(purposes).contains("SSL client : Yes").contains("SSL server : No").contains("S/MIME signing : No")
                .contains("S/MIME encryption : No");
    }

    @Test
    void passesTheTlsClientCheckOfTheHub() throws Exception {
        X509Certificate c = person(KeyAlgorithm.EC_P256);
        TrustValidator trust = new TrustValidator(new FileTrustMaterial(dir.resolve("ca.pem"), dir.resolve("ca.crl")));
        X509Certificate ca = Pem.readCertificate(dir.resolve("ca.pem"));

        trust.tlsTrustManager(CLOCK).checkClientTrusted(new X509Certificate[] {c, ca}, "UNKNOWN");
        assertThat(Certificates.tlsClientOnly(c)).isTrue();
    }

    @Test
    void isNeverSealedToAndSignsNothing() throws Exception {
        for (KeyAlgorithm alg : List.of(KeyAlgorithm.EC_P256, KeyAlgorithm.RSA_2048)) {
            X509Certificate c = person(alg);
            Identity hub = Identities.fromPkcs12(dir.resolve("hub.p12"), PASSWORD);
            assertThat(Certificates.allowsSealingTo(c)).isFalse();
            CryptoException sealing = catchThrowableOfType(() -> new CmsSealer(Samples.POLICY).seal(Samples.JSON, hub,
                    List.of(c), ContentEncryption.AES_256_GCM), CryptoException.class);
            assertThat(sealing.failure()).isEqualTo(CryptoFailure.RECIPIENT_KEY_USAGE);

            TrustValidator trust = new TrustValidator(new FileTrustMaterial(dir.resolve("ca.pem"),
                    dir.resolve("ca.crl")));
            CryptoException signing = catchThrowableOfType(() -> trust.validateSigner(c, List.of(), NOW),
                    CryptoException.class);
            assertThat(signing.failure()).isEqualTo(CryptoFailure.UNTRUSTED_SIGNER);
            assertThat(signing.detail()).contains("TLS client authentication only");
        }
    }

    @Test
    void aParticipantsOwnCertificateIsNoPersons() throws Exception {
        X509Certificate system = Pem.readCertificate(dir.resolve("ig-lead.pem"));
        X509Certificate hub = Pem.readCertificate(dir.resolve("hub.pem"));
        TrustValidator trust = new TrustValidator(new FileTrustMaterial(dir.resolve("ca.pem"), dir.resolve("ca.crl")));

        for (X509Certificate c : List.of(system, hub)) {
            assertThat(Certificates.tlsClientOnly(c)).isFalse();
            assertThat(Certificates.organisationalUnit(c)).isEmpty();
            trust.validateSigner(c, List.of(), NOW); // a partner's system signs
        }
    }
}
