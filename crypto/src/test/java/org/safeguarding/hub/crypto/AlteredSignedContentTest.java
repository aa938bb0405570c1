package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.crypto.CryptoFailure.BAD_SIGNATURE;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/** R12 and other ways the SignedData can be wrong once the envelope is opened. */
class AlteredSignedContentTest {
    private final TestPki pki = TestPki.ec();

    private byte[] encryptToHub(byte[] inner) throws CryptoException {
        return new CmsSealer(Samples.POLICY).encrypt(inner, List.of(pki.identity("hub").certificate()), ContentEncryption.AES_256_GCM);
    }

    @Test
    void contentAlteredAfterSigningIsBadSignature() throws Exception {
        byte[] signed = new CmsSealer(Samples.POLICY).sign(Samples.JSON, pki.identity("lancs-police"));
        byte[] area = "\"BPL\"".getBytes(StandardCharsets.US_ASCII);
        int at = Samples.indexOf(signed, area);
        assertThat(at).isPositive();
        byte[] altered = signed.clone();
        System.arraycopy("\"BWD\"".getBytes(StandardCharsets.US_ASCII), 0, altered, at, area.length);
        byte[] env = encryptToHub(altered);
        Failures.expectFailure(BAD_SIGNATURE, () -> Samples.hubOpener(pki).open(env));
    }

    @Test
    void openSslSignedContentAlteredIsBadSignature() throws Exception {
        byte[] signed = OpenSsl.sign(Samples.JSON, pki.cert("lancs-police"), pki.key("lancs-police"), List.of());
        int at = Samples.indexOf(signed, "CCE".getBytes(StandardCharsets.US_ASCII));
        byte[] altered = signed.clone();
        altered[at] = 'X';
        byte[] env = encryptToHub(altered);
        Failures.expectFailure(BAD_SIGNATURE, () -> Samples.hubOpener(pki).open(env));
    }

    @Test
    void detachedSignatureIsBadSignature() throws Exception {
        byte[] detached = OpenSsl.run(List.of("cms", "-sign", "-binary", "-md", "sha256", "-signer", pki.cert("lancs-police").toString(),
                "-inkey", pki.key("lancs-police").toString(), "-outform", "DER"), Samples.JSON);
        byte[] env = encryptToHub(detached);
        CryptoException e = Failures.expectFailure(BAD_SIGNATURE, () -> Samples.hubOpener(pki).open(env));
        assertThat(e.getMessage()).contains("detached");
    }

    @Test
    void signedDataWithoutSignerIsBadSignature() throws Exception {
        byte[] noSigner = new CMSSignedDataGenerator().generate(new CMSProcessableByteArray(Samples.JSON), true)
                .toASN1Structure().getEncoded(ASN1Encoding.DER);
        byte[] env = encryptToHub(noSigner);
        CryptoException e = Failures.expectFailure(BAD_SIGNATURE, () -> Samples.hubOpener(pki).open(env));
        assertThat(e.getMessage()).contains("no signer");
    }

    @Test
    void signerCertificateNotIncludedIsBadSignature() {
        byte[] signed = OpenSsl.sign(Samples.JSON, pki.cert("lancs-police"), pki.key("lancs-police"), List.of("-nocerts"));
        Failures.expectFailure(BAD_SIGNATURE, () -> new SignatureVerifier(Samples.POLICY).verify(signed));
    }

    @Test
    void exceptionMessagesNeverCarryContent() throws Exception {
        byte[] env = encryptToHub(Samples.JSON);
        CryptoException e = Failures.expectFailure(BAD_SIGNATURE, () -> Samples.hubOpener(pki).open(env));
        assertThat(e.getMessage()).doesNotContain("lancs-police").doesNotContain("narrative").doesNotContain("BPL");
    }
}
