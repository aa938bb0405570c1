package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/** Mutated envelopes (seeded, reproducible): open() succeeds or throws CryptoException, never anything else. */
class HostileInputFuzzTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"ec,-aes-256-gcm", "ec,-aes-256-cbc", "rsa,-aes-256-gcm", "rsa,-aes-256-cbc"})
    void mutationsOnlyEverRaiseCryptoException(String pkiName, String cipher) {
        TestPki pki = SealOpenRoundTripTest.pki(pkiName);
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"), cipher);
        EnvelopeOpener opener = Samples.hubOpener(pki);
        Random random = new Random(cipher.hashCode() * 31L + pkiName.hashCode());
        for (int i = 0; i < 400; i++) {
            byte[] m = mutate(env, random);
            Throwable t = catchThrowable(() -> opener.open(m));
            if (t != null) {
                assertThat(t).as("mutation %d", i).isInstanceOf(CryptoException.class);
            }
        }
    }

    static byte[] mutate(byte[] in, Random r) {
        byte[] out = in.clone();
        switch (r.nextInt(5)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    out[r.nextInt(out.length)] ^= (byte) (1 + r.nextInt(255));
                }
            }
            case 1 -> out = Arrays.copyOf(out, r.nextInt(out.length));
            case 2 -> out[r.nextInt(Math.min(out.length, 64))] = (byte) r.nextInt(256); // headers and lengths
            case 3 -> {
                int at = r.nextInt(out.length);
                byte[] longer = new byte[out.length + 1];
                System.arraycopy(out, 0, longer, 0, at);
                longer[at] = (byte) r.nextInt(256);
                System.arraycopy(out, at, longer, at + 1, out.length - at);
                out = longer;
            }
            default -> {
                int a = r.nextInt(out.length);
                int b = r.nextInt(out.length);
                byte t = out[a];
                out[a] = out[b];
                out[b] = t;
            }
        }
        return out;
    }
}
