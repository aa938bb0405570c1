package org.safeguarding.hub.crypto;

import static org.safeguarding.hub.crypto.CryptoFailure.UNDECRYPTABLE;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.TestPki;

class TruncatedAndGarbageInputTest {
    private final TestPki pki = TestPki.ec();

    @Test
    void truncatedEnvelopeIsUndecryptable() throws Exception {
        byte[] env = new CmsSealer(Samples.POLICY).seal(Samples.JSON, pki.identity("lancs-police"),
                List.of(pki.identity("hub").certificate()), ContentEncryption.AES_256_GCM);
        for (int len : new int[] {1, 2, 10, 100, env.length / 2, env.length - 17, env.length - 1}) {
            byte[] cut = Arrays.copyOf(env, len);
            Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(cut));
        }
    }

    @Test
    void emptyAndNullAreUndecryptable() {
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(new byte[0]));
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(null));
    }

    @Test
    void garbageIsUndecryptable() {
        Random random = new Random(42);
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[1 + random.nextInt(4096)];
            random.nextBytes(junk);
            Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(junk));
        }
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(Samples.JSON));
        Failures.expectFailure(UNDECRYPTABLE,
                () -> Samples.hubOpener(pki).open("-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void otherCmsTypesAreUndecryptable() throws Exception {
        byte[] signedOnly = new CmsSealer(Samples.POLICY).sign(Samples.JSON, pki.identity("lancs-police"));
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(signedOnly));
        byte[] certificate = pki.identity("hub").certificate().getEncoded();
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(certificate));
    }

    @Test
    void trailingBytesAreUndecryptable() throws Exception {
        byte[] env = new CmsSealer(Samples.POLICY).seal(Samples.JSON, pki.identity("lancs-police"),
                List.of(pki.identity("hub").certificate()), ContentEncryption.AES_256_GCM);
        byte[] longer = Arrays.copyOf(env, env.length + 3);
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(longer));
    }
}
