package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.safeguarding.hub.crypto.SealerOptions.EcdhKdf;
import org.safeguarding.hub.crypto.SealerOptions.RsaKeyTransport;
import org.safeguarding.hub.crypto.SealerOptions.RsaSignature;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/** The hub seals a package; a recipient with only the OpenSSL 3 command line decrypts and verifies it against ca.pem. */
class HubToOpenSslInteropTest {
    private static final SealerOptions D = SealerOptions.defaults();

    static Stream<Arguments> matrix() {
        return Stream.of(
                Arguments.of("ec", ContentEncryption.AES_256_GCM, D, List.of("dhSinglePass-stdDH-sha256kdf-scheme", "ecdsa-with-SHA256")),
                Arguments.of("ec", ContentEncryption.AES_256_CBC, D, List.of("dhSinglePass-stdDH-sha256kdf-scheme")),
                Arguments.of("ec", ContentEncryption.AES_256_GCM, D.withEcdhKdf(EcdhKdf.SHA1), List.of("dhSinglePass-stdDH-sha1kdf-scheme")),
                Arguments.of("ec", ContentEncryption.AES_256_CBC, D.withEcdhKdf(EcdhKdf.SHA1), List.of("dhSinglePass-stdDH-sha1kdf-scheme")),
                Arguments.of("rsa", ContentEncryption.AES_256_GCM, D, List.of("rsaesOaep", "sha256")),
                Arguments.of("rsa", ContentEncryption.AES_256_CBC, D, List.of("rsaesOaep")),
                Arguments.of("rsa", ContentEncryption.AES_256_GCM, D.withRsaSignature(RsaSignature.PSS_SHA256), List.of("rsassaPss")),
                Arguments.of("rsa", ContentEncryption.AES_256_CBC, D.withRsaKeyTransport(RsaKeyTransport.PKCS1_V15), List.of("rsaEncryption")),
                Arguments.of("rsa3072", ContentEncryption.AES_256_GCM, D, List.of("rsaesOaep")),
                Arguments.of("rsa3072", ContentEncryption.AES_256_CBC,
                        D.withRsaSignature(RsaSignature.PSS_SHA256).withRsaKeyTransport(RsaKeyTransport.PKCS1_V15), List.of("rsassaPss")));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void openSslOpensWhatTheHubSealed(String pkiName, ContentEncryption enc, SealerOptions options, List<String> names) throws Exception {
        TestPki pki = SealOpenRoundTripTest.pki(pkiName);
        CmsSealer sealer = new CmsSealer(Samples.POLICY, options);
        byte[] signed = sealer.sign(Samples.JSON, pki.identity("hub"));
        byte[] p7m = sealer.encrypt(signed, List.of(pki.identity("mash-bpl").certificate()), enc);
        String dump = OpenSsl.print(p7m) + OpenSsl.print(signed);
        for (String n : names) {
            assertThat(dump).contains(n);
        }

        byte[] content = OpenSsl.decryptAndVerify(p7m, pki.cert("mash-bpl"), pki.key("mash-bpl"), pki.caPem());

        assertThat(content).isEqualTo(Samples.JSON);
    }
}
