package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.safeguarding.hub.crypto.testing.TestPki;

class SealOpenRoundTripTest {

    static TestPki pki(String name) {
        return switch (name) {
            case "ec" -> TestPki.ec();
            case "rsa" -> TestPki.rsa();
            case "rsa3072" -> TestPki.rsa3072();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"ec,AES_256_GCM", "ec,AES_256_CBC", "rsa,AES_256_GCM", "rsa,AES_256_CBC", "rsa3072,AES_256_GCM"})
    void sealedByPartnerOpensAtHub(String pkiName, ContentEncryption enc) throws Exception {
        TestPki pki = pki(pkiName);
        CmsSealer sealer = new CmsSealer(Samples.POLICY);
        byte[] sealed = sealer.seal(Samples.JSON, pki.identity("lancs-police"), List.of(pki.identity("hub").certificate()), enc);

        OpenedMessage opened = Samples.hubOpener(pki).open(sealed);

        assertThat(opened.content()).isEqualTo(Samples.JSON);
        assertThat(Certificates.commonName(opened.signer())).isEqualTo("lancs-police");
        assertThat(opened.contentSha256Hex()).isEqualTo(Certificates.sha256Hex(Samples.JSON)).hasSize(64);
        Samples.validator(pki).validate(opened.signer(), opened.certificates(), Instant.now());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ec", "rsa"})
    void oneEnvelopeOpensForEveryRecipientCertificate(String pkiName) throws Exception {
        TestPki pki = pki(pkiName);
        byte[] sealed = new CmsSealer(Samples.POLICY).seal(Samples.JSON, pki.identity("hub"),
                List.of(pki.identity("mash-bpl").certificate(), pki.identity("police-fib").certificate()), ContentEncryption.AES_256_GCM);

        for (String r : List.of("mash-bpl", "police-fib")) {
            OpenedMessage opened = new EnvelopeOpener(List.of(pki.identity(r)), Samples.POLICY).open(sealed);
            assertThat(opened.content()).isEqualTo(Samples.JSON);
            assertThat(Certificates.commonName(opened.signer())).isEqualTo("hub");
        }
    }
}
