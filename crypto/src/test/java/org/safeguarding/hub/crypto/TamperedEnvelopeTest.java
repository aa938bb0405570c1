package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.crypto.CryptoFailure.BAD_SIGNATURE;
import static org.safeguarding.hub.crypto.CryptoFailure.UNDECRYPTABLE;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.TestPki;

class TamperedEnvelopeTest {
    private final TestPki pki = TestPki.ec();

    private byte[] seal(ContentEncryption enc) throws CryptoException {
        return new CmsSealer(Samples.POLICY).seal(Samples.JSON, pki.identity("lancs-police"), List.of(pki.identity("hub").certificate()), enc);
    }

    @Test
    void gcmCiphertextFlipIsUndecryptable() throws Exception {
        byte[] env = seal(ContentEncryption.AES_256_GCM);
        int at = Samples.indexOf(env, Samples.encryptedContent(env));
        assertThat(at).isPositive();
        for (int offset : new int[] {0, 17, Samples.JSON.length / 2}) {
            byte[] tampered = Samples.flip(env, at + offset);
            Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(tampered));
        }
    }

    @Test
    void gcmTagFlipIsUndecryptable() throws Exception {
        byte[] env = seal(ContentEncryption.AES_256_GCM);
        byte[] tampered = Samples.flip(env, env.length - 1); // the MAC is the last element
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(tampered));
    }

    @Test
    void cbcCiphertextFlipIsRefused() throws Exception {
        // CBC has no integrity of its own: a flipped block either breaks the padding (UNDECRYPTABLE) or garbles the
        // SignedData (BAD_SIGNATURE). Either way nothing opens.
        byte[] env = seal(ContentEncryption.AES_256_CBC);
        byte[] ct = Samples.encryptedContent(env);
        int at = Samples.indexOf(env, ct);
        for (int offset : new int[] {0, 40, ct.length / 2, ct.length - 1}) {
            byte[] tampered = Samples.flip(env, at + offset);
            Failures.expectOneOf(() -> Samples.hubOpener(pki).open(tampered), UNDECRYPTABLE, BAD_SIGNATURE);
        }
    }

    @Test
    void flippedWrappedKeyIsUndecryptable() throws Exception {
        byte[] env = seal(ContentEncryption.AES_256_GCM);
        int at = Samples.indexOf(env, Samples.encryptedContent(env));
        // just before the encrypted content sit the recipient infos; flip a byte well inside them
        byte[] tampered = Samples.flip(env, at / 2);
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(tampered));
    }
}
