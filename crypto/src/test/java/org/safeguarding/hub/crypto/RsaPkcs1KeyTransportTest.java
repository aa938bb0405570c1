package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.crypto.CryptoFailure.UNDECRYPTABLE;
import static org.safeguarding.hub.crypto.CryptoFailure.WEAK_ALGORITHM;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.Cipher;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.SealerOptions.RsaKeyTransport;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * RSA PKCS#1 v1.5 key transport: refused by the built-in policy, in both directions, before any private-key operation;
 * accepted by a policy widened for one participant; and then no padding oracle: every way its key transport or its
 * content can be wrong answers the same {@code UNDECRYPTABLE} detail.
 */
class RsaPkcs1KeyTransportTest {
    private static final String DECRYPTION_FAILED = "decryption failed (wrong key or tampered message)";
    private final TestPki rsa = TestPki.rsa();

    private byte[] opensslPkcs1(String cipher) {
        byte[] signed = OpenSsl.sign(Samples.JSON, rsa.cert("lancs-police"), rsa.key("lancs-police"), List.of());
        return OpenSsl.run(List.of("cms", "-encrypt", "-binary", cipher, "-recip", rsa.cert("hub").toString(),
                "-outform", "DER"), signed);
    }

    private EnvelopeOpener opener(AlgorithmPolicy policy) {
        return new EnvelopeOpener(List.of(rsa.identity("hub")), policy);
    }

    @Test
    void theBuiltInPolicyRefusesAPkcs1EnvelopeAsAWeakAlgorithm() {
        assertThat(AlgorithmPolicy.defaults().allowsRsaPkcs1KeyTransport()).isFalse();
        for (String cipher : List.of("-aes-256-cbc", "-aes-256-gcm")) {
            assertThat(WeakAlgorithmTest.refused(opener(Samples.STRICT), opensslPkcs1(cipher), WEAK_ALGORITHM))
                    .as(cipher).contains("RSA PKCS#1 v1.5 key transport").contains("allowRsaPkcs1v15");
        }
    }

    @Test
    void theBuiltInPolicyRefusesToSealWithPkcs1() {
        CmsSealer sealer = new CmsSealer(Samples.STRICT, SealerOptions.defaults().withRsaKeyTransport(RsaKeyTransport.PKCS1_V15));
        for (ContentEncryption enc : ContentEncryption.values()) {
            Failures.expectFailure(WEAK_ALGORITHM, () -> sealer.seal(Samples.JSON, rsa.identity("lancs-police"),
                    List.of(rsa.identity("mash-bpl").certificate()), enc));
            Failures.expectFailure(WEAK_ALGORITHM, () -> sealer.requireSealable(rsa.identity("lancs-police"),
                    List.of(rsa.identity("mash-bpl").certificate()), enc));
        }
    }

    @Test
    void aWidenedPolicyOpensAndSealsPkcs1() throws Exception {
        AlgorithmPolicy widened = AlgorithmPolicy.defaults().withRsaPkcs1KeyTransport();
        assertThat(widened.allowsRsaPkcs1KeyTransport()).isTrue();
        assertThat(opener(widened).open(opensslPkcs1("-aes-256-cbc")).content()).isEqualTo(Samples.JSON);
        byte[] sealed = new CmsSealer(widened, SealerOptions.defaults().withRsaKeyTransport(RsaKeyTransport.PKCS1_V15))
                .seal(Samples.JSON, rsa.identity("lancs-police"), List.of(rsa.identity("hub").certificate()),
                        ContentEncryption.AES_256_CBC);
        assertThat(opener(widened).open(sealed).content()).isEqualTo(Samples.JSON);
    }

    /**
     * Bleichenbacher's attack needs the hub to tell a forged encrypted key with good padding from one with bad padding.
     * Good padding with a wrong length, good padding with the right length (a wrong content key: noise, which AES-CBC's
     * padding mostly refuses but sometimes lets through) and bad padding must all answer alike, whole and streamed.
     * (Tampering with the AES-CBC ciphertext itself is another matter: EnvelopedData is not authenticated; see
     * crypto/README.md.)
     */
    @Test
    void noPaddingOracle() throws Exception {
        AlgorithmPolicy widened = AlgorithmPolicy.defaults().withRsaPkcs1KeyTransport();
        byte[] env = opensslPkcs1("-aes-256-cbc");
        byte[] key = encryptedKey(env);
        int at = Samples.indexOf(env, key);
        List<byte[]> forged = new ArrayList<>();
        forged.add(Samples.flip(env, at + key.length / 2));                    // bad padding, almost surely
        forged.add(withKey(env, at, key.length, pkcs1(new byte[16])));          // good padding, wrong length
        forged.add(withKey(env, at, key.length, pkcs1(new byte[33])));
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 400; i++) {                                         // good padding, wrong key: some pass CBC's padding
            byte[] cek = new byte[32];
            random.nextBytes(cek);
            forged.add(withKey(env, at, key.length, pkcs1(cek)));
        }
        Set<String> answers = new HashSet<>();
        EnvelopeOpener hub = opener(widened);
        for (byte[] f : forged) {
            answers.add(WeakAlgorithmTest.refused(hub, f, UNDECRYPTABLE));
        }
        assertThat(answers).containsExactly(DECRYPTION_FAILED);
    }

    private static byte[] encryptedKey(byte[] env) {
        EnvelopedData e = EnvelopedData.getInstance(ContentInfo.getInstance(env).getContent());
        return KeyTransRecipientInfo.getInstance(RecipientInfo.getInstance(e.getRecipientInfos().getObjectAt(0)).getInfo())
                .getEncryptedKey().getOctets();
    }

    private byte[] pkcs1(byte[] cek) throws Exception {
        Cipher c = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        c.init(Cipher.ENCRYPT_MODE, rsa.identity("hub").certificate().getPublicKey());
        return c.doFinal(cek);
    }

    private static byte[] withKey(byte[] env, int at, int length, byte[] key) {
        assertThat(key).hasSize(length);
        byte[] out = env.clone();
        System.arraycopy(key, 0, out, at, length);
        return out;
    }
}
