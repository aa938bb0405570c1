package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.crypto.CryptoFailure.UNTRUSTED_SIGNER;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.OpenSsl;

/** Root CA -> issuing CA -> participant: accepted, whether the issuing CA travels in the message or in the CA file. */
class IntermediateChainTest {
    private static final Instant NOW = Instant.now();

    @TempDir
    Path dir;

    private CertAuthority root;
    private CertAuthority issuing;
    private Identity signer;

    @BeforeEach
    void pki() throws Exception {
        root = CertAuthority.selfSigned("Partnership Root", CertAuthority.generateKeyPair(KeyAlgorithm.EC_P256), NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(3650)));
        KeyPair issuingKeys = CertAuthority.generateKeyPair(KeyAlgorithm.EC_P256);
        X509Certificate issuingCert = root.issue("Partnership Issuing CA", issuingKeys.getPublic(), CertAuthority.Profile.CA,
                NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1000)));
        issuing = new CertAuthority(issuingKeys.getPrivate(), issuingCert);
        KeyPair leafKeys = CertAuthority.generateKeyPair(KeyAlgorithm.EC_P256);
        X509Certificate leaf = issuing.issue("lancs-police", leafKeys.getPublic(), CertAuthority.Profile.PARTICIPANT,
                NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(700)));
        signer = new Identity(leafKeys.getPrivate(), leaf, List.of(leaf, issuingCert, root.certificate));
    }

    @Test
    void intermediateCarriedInTheSignedDataIsAccepted() throws Exception {
        byte[] signed = new CmsSealer(Samples.POLICY).sign(Samples.JSON, signer);
        OpenedMessage opened = new SignatureVerifier(Samples.POLICY).verify(signed);
        assertThat(opened.certificates()).hasSize(2); // leaf and issuing CA, never the root

        TrustMaterial material = TrustMaterial.of(List.of(root.certificate), List.of(),
                List.of(root.crl(null, null, NOW), issuing.crl(null, null, NOW)));
        new TrustValidator(material).validate(opened.signer(), opened.certificates(), NOW);

        Path rootPem = Files.writeString(dir.resolve("root.pem"), Pem.encode(root.certificate));
        assertThat(OpenSsl.verify(signed, rootPem)).isEqualTo(Samples.JSON);
    }

    @Test
    void intermediateInTheCaFileIsAccepted() throws Exception {
        Path caFile = Files.writeString(dir.resolve("ca.pem"), Pem.encode(root.certificate) + Pem.encode(issuing.certificate));
        Path crlFile = Files.writeString(dir.resolve("ca.crl"), Pem.encode(root.crl(null, null, NOW)) + Pem.encode(issuing.crl(null, null, NOW)));
        FileTrustMaterial material = new FileTrustMaterial(caFile, crlFile);
        assertThat(material.anchors()).hasSize(1);
        assertThat(material.intermediates()).hasSize(1);
        assertThat(material.crls()).hasSize(2);
        new TrustValidator(material).validate(signer.certificate(), List.of(), NOW);
    }

    @Test
    void revokedIntermediateMakesTheLeafUntrusted() throws Exception {
        TrustMaterial material = TrustMaterial.of(List.of(root.certificate), List.of(issuing.certificate),
                List.of(root.crl(null, issuing.certificate, NOW.minusSeconds(10)), issuing.crl(null, null, NOW)));
        Failures.expectFailure(UNTRUSTED_SIGNER, () -> new TrustValidator(material).validate(signer.certificate(), List.of(), NOW));
    }

    @Test
    void missingIntermediateIsUntrusted() {
        TrustMaterial material = TrustMaterial.of(List.of(root.certificate), List.of(), List.of());
        Failures.expectFailure(UNTRUSTED_SIGNER, () -> new TrustValidator(material).validate(signer.certificate(), List.of(), NOW));
    }

    @Test
    void withCrlsConfiguredAnIntermediateWithoutCrlFailsClosed() {
        TrustMaterial material = TrustMaterial.of(List.of(root.certificate), List.of(issuing.certificate), List.of(root.crl(null, null, NOW)));
        Failures.expectFailure(UNTRUSTED_SIGNER, () -> new TrustValidator(material).validate(signer.certificate(), List.of(), NOW));
    }
}
