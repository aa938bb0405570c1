package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * Mutated envelopes (seeded, reproducible): open() succeeds or throws CryptoException, never anything else; at scale,
 * each mutant is refused with a verdict on the message (never {@link CryptoFailure#TRUST_UNAVAILABLE}, which would be
 * a 503 and a retry), the same by the byte-array and the streaming open, with a detail that carries neither content
 * nor a stack trace; and one that passes (open, then the signer's trust, as intake does) is the same message: the same
 * content, signed by the same certificate.
 */
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

    /** Thousands of mutants of six sealed submissions: DER by OpenSSL, BER with indefinite lengths by the hub's streaming sealer. */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void thousandsOfMutantsAreEachRefusedWithAVerdictOrAreTheSameMessage() throws Exception {
        record Base(String name, TestPki pki, byte[] envelope) {}
        List<Base> bases = new ArrayList<>();
        for (String name : List.of("ec", "rsa")) {
            TestPki pki = SealOpenRoundTripTest.pki(name);
            for (String cipher : List.of("-aes-256-gcm", "-aes-256-cbc")) {
                bases.add(new Base(name + " openssl " + cipher, pki, OpenSsl.signAndEncrypt(Samples.JSON, pki.cert("lancs-police"),
                        pki.key("lancs-police"), pki.cert("hub"), cipher)));
            }
            ByteArrayOutputStream ber = new ByteArrayOutputStream();
            new CmsSealer(Samples.POLICY).seal(new ByteArrayInputStream(Samples.JSON), ber, pki.identity("lancs-police"),
                    List.of(pki.identity("hub").certificate()), name.equals("ec") ? ContentEncryption.AES_256_GCM
                            : ContentEncryption.AES_256_CBC);
            bases.add(new Base(name + " hub streaming BER", pki, ber.toByteArray()));
        }
        Map<CryptoFailure, Integer> verdicts = new EnumMap<>(CryptoFailure.class);
        int opened = 0;
        int mutants = 0;
        for (Base base : bases) {
            assertThat(Tlv.parse(base.envelope()).walk().size()).as(base.name()).isGreaterThan(20);
            EnvelopeOpener opener = Samples.hubOpener(base.pki());
            TrustValidator trust = Samples.validator(base.pki());
            X509Certificate signer = base.pki().identity("lancs-police").certificate();
            Random random = new Random(base.name().hashCode() * 7919L);
            for (int i = 0; i < 750; i++) {
                byte[] m = i % 3 == 0 ? mutateLength(base.envelope(), random) : mutate(base.envelope(), random);
                String what = base.name() + " mutant " + i;
                CryptoFailure verdict = verdict(opener, trust, m, signer, what);
                if (verdict == null) {
                    opened++;
                } else {
                    verdicts.merge(verdict, 1, Integer::sum);
                }
                mutants++;
            }
        }
        assertThat(mutants).isEqualTo(4500);
        assertThat(verdicts).doesNotContainKey(CryptoFailure.TRUST_UNAVAILABLE)
                .containsKeys(CryptoFailure.UNDECRYPTABLE, CryptoFailure.BAD_SIGNATURE);
        assertThat(opened).as("mutants that open (the same message): " + verdicts).isLessThan(mutants / 10);
    }

    /**
     * The verdict on {@code m} as intake reaches it (open, then the signer's trust at receipt), the same both ways;
     * null when it passes, and then it is the sample, signed by {@code signer}. The trust check matters: the
     * certificates of a SignedData are outside its signature, so a CBC mutant can open with a broken certificate.
     */
    private static CryptoFailure verdict(EnvelopeOpener opener, TrustValidator trust, byte[] m, X509Certificate signer,
                                         String what) {
        Instant now = Instant.now();
        Throwable whole = catchThrowable(() -> {
            OpenedMessage o = opener.open(m);
            trust.validate(o.signer(), o.certificates(), now);
            assertThat(o.content()).as(what + ": passes only unchanged").isEqualTo(Samples.JSON);
            assertThat(o.signer()).as(what).isEqualTo(signer);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Throwable streamed = catchThrowable(() -> {
            StreamedMessage s = opener.open(new ByteArrayInputStream(m), out);
            trust.validate(s.signer(), s.certificates(), now);
            assertThat(out.toByteArray()).as(what + ": passes only unchanged (streamed)").isEqualTo(Samples.JSON);
            assertThat(s.signer()).as(what).isEqualTo(signer);
        });
        if (whole instanceof AssertionError a) {
            throw a;
        }
        if (streamed instanceof AssertionError a) {
            throw a;
        }
        assertThat(whole).as(what).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(CryptoException.class));
        assertThat(streamed).as(what + " (streamed)").satisfiesAnyOf(t -> assertThat(t).isNull(),
                t -> assertThat(t).isInstanceOf(CryptoException.class));
        CryptoFailure a = whole == null ? null : ((CryptoException) whole).failure();
        CryptoFailure b = streamed == null ? null : ((CryptoException) streamed).failure();
        assertThat(b).as(what + ": the same verdict streamed").isEqualTo(a);
        if (whole != null) {
            String detail = ((CryptoException) whole).detail() + " " + ((CryptoException) streamed).detail();
            assertThat(detail).as(what).doesNotContain("Test narrative").doesNotContain("lancs-police")
                    .doesNotContain("Exception").doesNotContain(".java");
        }
        return a;
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

    /**
     * A mutation of one element's length octets, wherever it is: off by one either way, a random octet, indefinite,
     * the long form for a short length, a leading zero octet, or four octets claiming gigabytes.
     */
    static byte[] mutateLength(byte[] in, Random r) {
        List<Tlv> nodes = Tlv.parse(in).walk();
        Tlv node = nodes.get(r.nextInt(nodes.size()));
        int at = node.offset + node.tag.length;
        int first = in[at] & 0xff;
        byte[] out = in.clone();
        switch (r.nextInt(6)) {
            case 0 -> out[at + (first < 0x80 ? 0 : first & 0x7f)] += 1;
            case 1 -> out[at + (first < 0x80 ? 0 : first & 0x7f)] -= 1;
            case 2 -> out[at] = (byte) r.nextInt(256);
            case 3 -> out[at] = (byte) 0x80;
            case 4 -> {
                // one more length octet: 0x81 0x05 for 0x05, 0x82 0x00 0x85 for 0x81 0x85
                byte[] longer = new byte[out.length + 1];
                System.arraycopy(in, 0, longer, 0, at);
                if (first < 0x80) {
                    longer[at] = (byte) 0x81;
                    longer[at + 1] = (byte) first;
                } else if (first == 0x80) {
                    longer[at] = (byte) 0x81;
                    longer[at + 1] = 0;
                } else {
                    longer[at] = (byte) (first + 1);
                    longer[at + 1] = 0;
                }
                System.arraycopy(in, at + 1, longer, at + 2, in.length - at - 1);
                out = longer;
            }
            default -> {
                byte[] huge = {(byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) r.nextInt(256)};
                int oldLength = first < 0x80 || first == 0x80 ? 1 : 1 + (first & 0x7f);
                byte[] replaced = new byte[in.length - oldLength + huge.length];
                System.arraycopy(in, 0, replaced, 0, at);
                System.arraycopy(huge, 0, replaced, at, huge.length);
                System.arraycopy(in, at + oldLength, replaced, at + huge.length, in.length - at - oldLength);
                out = replaced;
            }
        }
        return out;
    }
}
