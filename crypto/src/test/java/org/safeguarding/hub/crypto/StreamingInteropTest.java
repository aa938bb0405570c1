package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/** The streaming API against the OpenSSL 3 command line, both ways, over the same matrix as the byte-array tests. */
class StreamingInteropTest {
    private static final byte[] CONTENT = StreamingSealOpenTest.content(300_000, 42);

    static Stream<Arguments> openSslToHub() {
        return OpenSslToHubInteropTest.matrix();
    }

    @ParameterizedTest(name = "{0} {1} sign{2} encrypt{3}")
    @MethodSource("openSslToHub")
    void hubStreamsOpenWhatOpenSslSealed(String pkiName, String cipher, List<String> signOpts, List<String> encOpts,
                                         List<String> names) throws Exception {
        TestPki pki = SealOpenRoundTripTest.pki(pkiName);
        byte[] p7m = OpenSsl.signAndEncrypt(CONTENT, pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"),
                cipher, signOpts, encOpts);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamedMessage m = Samples.hubOpener(pki).open(new ByteArrayInputStream(p7m), out);
        assertThat(out.toByteArray()).isEqualTo(CONTENT);
        assertThat(Certificates.commonName(m.signer())).isEqualTo("lancs-police");
        Samples.validator(pki).validate(m.signer(), m.certificates(), Instant.now());
    }

    static Stream<Arguments> hubToOpenSsl() {
        return HubToOpenSslInteropTest.matrix();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("hubToOpenSsl")
    void openSslOpensWhatTheHubSealedStreaming(String pkiName, ContentEncryption enc, SealerOptions options,
                                               List<String> names) throws Exception {
        TestPki pki = SealOpenRoundTripTest.pki(pkiName);
        byte[] p7m = StreamingSealOpenTest.sealStreaming(new CmsSealer(Samples.POLICY, options), CONTENT,
                pki.identity("hub"), List.of(pki.identity("mash-bpl").certificate()), enc);
        byte[] signed = OpenSsl.decrypt(p7m, pki.cert("mash-bpl"), pki.key("mash-bpl"));
        String dump = OpenSsl.print(p7m) + OpenSsl.print(signed);
        for (String n : names) {
            assertThat(dump).contains(n);
        }
        assertThat(OpenSsl.verify(signed, pki.caPem())).isEqualTo(CONTENT);
    }
}
