package org.safeguarding.hub.crypto;

import static org.safeguarding.hub.crypto.CryptoFailure.BAD_SIGNATURE;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/** R11: the envelope holds plain JSON, not SignedData. */
class UnsignedInnerContentTest {
    private final TestPki pki = TestPki.ec();

    @Test
    void plainJsonInsideOurEnvelopeIsBadSignature() throws Exception {
        byte[] env = new CmsSealer(Samples.POLICY).encrypt(Samples.JSON, List.of(pki.identity("hub").certificate()), ContentEncryption.AES_256_GCM);
        Failures.expectFailure(BAD_SIGNATURE, () -> Samples.hubOpener(pki).open(env));
    }

    @Test
    void plainJsonInsideOpenSslEnvelopeIsBadSignature() {
        byte[] env = OpenSsl.encrypt(Samples.JSON, pki.cert("hub"), "-aes-256-cbc", List.of());
        Failures.expectFailure(BAD_SIGNATURE, () -> Samples.hubOpener(pki).open(env));
    }

    @Test
    void decryptAloneStillReturnsTheInnerBytes() throws Exception {
        byte[] env = new CmsSealer(Samples.POLICY).encrypt(Samples.JSON, List.of(pki.identity("hub").certificate()), ContentEncryption.AES_256_GCM);
        org.assertj.core.api.Assertions.assertThat(Samples.hubOpener(pki).decrypt(env)).isEqualTo(Samples.JSON);
    }
}
