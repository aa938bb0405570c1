package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/** A partner using the OpenSSL 3 command line; the hub opens, verifies and trusts what it made. */
class OpenSslToHubInteropTest {
    private static final List<String> NONE = List.of();
    private static final List<String> PSS = List.of("-keyopt", "rsa_padding_mode:pss");
    private static final List<String> OAEP256 = List.of("-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256");
    private static final List<String> KDF256 = List.of("-keyopt", "ecdh_kdf_md:sha256");

    static Stream<Arguments> matrix() {
        return Stream.of(
                // pki, cipher, sign options, encrypt options, algorithm names the message must carry
                Arguments.of("ec", "-aes-256-gcm", NONE, NONE, List.of("ecdsa-with-SHA256", "dhSinglePass-stdDH-sha1kdf-scheme", "aes-256-gcm")),
                Arguments.of("ec", "-aes-256-gcm", NONE, KDF256, List.of("dhSinglePass-stdDH-sha256kdf-scheme", "aes-256-gcm")),
                Arguments.of("ec", "-aes-256-cbc", NONE, NONE, List.of("dhSinglePass-stdDH-sha1kdf-scheme", "aes-256-cbc")),
                Arguments.of("ec", "-aes-256-cbc", NONE, KDF256, List.of("dhSinglePass-stdDH-sha256kdf-scheme", "aes-256-cbc")),
                Arguments.of("rsa", "-aes-256-gcm", NONE, NONE, List.of("sha256WithRSAEncryption|rsaEncryption", "aes-256-gcm")),
                Arguments.of("rsa", "-aes-256-gcm", PSS, OAEP256, List.of("rsassaPss", "rsaesOaep", "aes-256-gcm")),
                Arguments.of("rsa", "-aes-256-cbc", PSS, NONE, List.of("rsassaPss", "aes-256-cbc")),
                Arguments.of("rsa", "-aes-256-cbc", NONE, OAEP256, List.of("rsaesOaep", "aes-256-cbc")),
                Arguments.of("rsa3072", "-aes-256-gcm", NONE, OAEP256, List.of("rsaesOaep", "aes-256-gcm")),
                Arguments.of("rsa3072", "-aes-256-gcm", PSS, NONE, List.of("rsassaPss", "aes-256-gcm")),
                Arguments.of("rsa3072", "-aes-256-cbc", PSS, OAEP256, List.of("rsassaPss", "rsaesOaep", "aes-256-cbc")),
                Arguments.of("rsa3072", "-aes-256-cbc", NONE, NONE, List.of("aes-256-cbc")));
    }

    @ParameterizedTest(name = "{0} {1} sign{2} encrypt{3}")
    @MethodSource("matrix")
    void hubOpensWhatOpenSslSealed(String pkiName, String cipher, List<String> signOpts, List<String> encOpts, List<String> names)
            throws Exception {
        TestPki pki = SealOpenRoundTripTest.pki(pkiName);
        byte[] signed = OpenSsl.sign(Samples.JSON, pki.cert("lancs-police"), pki.key("lancs-police"), signOpts);
        byte[] p7m = OpenSsl.encrypt(signed, pki.cert("hub"), cipher, encOpts);
        String dump = OpenSsl.print(p7m) + OpenSsl.print(signed);
        for (String n : names) {
            assertThat(Arrays.stream(n.split("\\|")).anyMatch(dump::contains)).as("message names %s", n).isTrue();
        }
        assertThat(ContentInfo.getInstance(p7m).getContentType().getId())
                .isEqualTo(cipher.endsWith("gcm") ? "1.2.840.113549.1.9.16.1.23" : "1.2.840.113549.1.7.3");

        OpenedMessage opened = Samples.hubOpener(pki).open(p7m);

        assertThat(opened.content()).isEqualTo(Samples.JSON);
        assertThat(Certificates.commonName(opened.signer())).isEqualTo("lancs-police");
        Samples.validator(pki).validate(opened.signer(), opened.certificates(), Instant.now());
    }

    @org.junit.jupiter.api.Test
    void contractRecipeExactly() throws Exception {
        TestPki pki = TestPki.ec();
        byte[] p7m = OpenSsl.signAndEncrypt(Samples.JSON, pki.cert("nhs-lsc"), pki.key("nhs-lsc"), pki.cert("hub"), "-aes-256-gcm");
        OpenedMessage opened = Samples.hubOpener(pki).open(p7m);
        assertThat(opened.content()).isEqualTo(Samples.JSON);
        assertThat(Certificates.commonName(opened.signer())).isEqualTo("nhs-lsc");
    }
}
