package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.crypto.CryptoFailure.UNDECRYPTABLE;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/** R05: encrypted to a certificate other than the hub's. */
class WrongRecipientTest {

    @Test
    void sealedToAnotherParticipantIsUndecryptable() throws Exception {
        TestPki pki = TestPki.ec();
        byte[] env = new CmsSealer(Samples.POLICY).seal(Samples.JSON, pki.identity("lancs-police"),
                List.of(pki.identity("mash-bpl").certificate()), ContentEncryption.AES_256_GCM);
        CryptoException e = Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(env));
        assertThat(e.getMessage()).contains("not addressed");
    }

    @Test
    void openSslSealedToAnotherRsaParticipantIsUndecryptable() {
        TestPki pki = TestPki.rsa();
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("police-fib"), "-aes-256-gcm");
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(env));
    }

    @Test
    void sealedToAForeignHubWithTheSameNameIsUndecryptable() throws Exception {
        TestPki pki = TestPki.ec();
        byte[] env = new CmsSealer(Samples.POLICY).seal(Samples.JSON, pki.identity("lancs-police"),
                List.of(TestPki.foreign().identity("hub").certificate()), ContentEncryption.AES_256_CBC);
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(env));
    }
}
