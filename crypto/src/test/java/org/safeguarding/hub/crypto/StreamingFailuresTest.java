package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The streaming open refuses what the byte-array open refuses, with the same failure, and a failure of the caller's
 * own streams is an IOException, not a verdict on the message.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamingFailuresTest {
    private final TestPki ec = TestPki.ec();
    private final TestPki rsa = TestPki.rsa();

    /** The failure of the byte-array open, or null when it opens. */
    private static CryptoFailure whole(EnvelopeOpener opener, byte[] m) {
        Throwable t = catchThrowable(() -> opener.open(m));
        assertThat(t).as("byte-array open").satisfiesAnyOf(x -> assertThat(x).isNull(),
                x -> assertThat(x).isInstanceOf(CryptoException.class));
        return t == null ? null : ((CryptoException) t).failure();
    }

    /** The failure of the streaming open, or null when it opens (then with the same content as the byte-array open). */
    private static CryptoFailure streamed(EnvelopeOpener opener, byte[] m) throws CryptoException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Throwable t = catchThrowable(() -> opener.open(new ByteArrayInputStream(m), out));
        assertThat(t).as("streaming open").satisfiesAnyOf(x -> assertThat(x).isNull(),
                x -> assertThat(x).isInstanceOf(CryptoException.class));
        if (t == null) {
            assertThat(out.toByteArray()).isEqualTo(opener.open(m).content());
            return null;
        }
        assertThat(t.getMessage()).doesNotContain("Test narrative");
        return ((CryptoException) t).failure();
    }

    private byte[] encryptToHub(TestPki pki, byte[] inner, ContentEncryption enc) throws CryptoException {
        return new CmsSealer(Samples.POLICY).encrypt(inner, List.of(pki.identity("hub").certificate()), enc);
    }

    private Map<String, byte[]> corpus() throws Exception {
        Map<String, byte[]> c = new LinkedHashMap<>();
        CmsSealer sealer = new CmsSealer(Samples.POLICY);
        byte[] gcm = sealer.seal(Samples.JSON, ec.identity("lancs-police"), List.of(ec.identity("hub").certificate()),
                ContentEncryption.AES_256_GCM);
        byte[] cbc = sealer.seal(Samples.JSON, ec.identity("lancs-police"), List.of(ec.identity("hub").certificate()),
                ContentEncryption.AES_256_CBC);
        c.put("good GCM", gcm);
        c.put("good CBC", cbc);
        c.put("empty", new byte[0]);
        c.put("JSON", Samples.JSON);
        Random random = new Random(7);
        for (int i = 0; i < 10; i++) {
            byte[] junk = new byte[1 + random.nextInt(4096)];
            random.nextBytes(junk);
            c.put("garbage " + i, junk);
        }
        for (int len : new int[] {1, 2, 10, 100, gcm.length / 2, gcm.length - 17, gcm.length - 1}) {
            c.put("truncated to " + len, Arrays.copyOf(gcm, len));
        }
        c.put("trailing bytes", Arrays.copyOf(gcm, gcm.length + 3));
        c.put("SignedData only", sealer.sign(Samples.JSON, ec.identity("lancs-police")));
        c.put("a certificate", ec.identity("hub").certificate().getEncoded());
        c.put("nested indefinite", HostileAsn1Test.nestedIndefinite(200_000));
        c.put("nested definite", HostileAsn1Test.nestedDefinite(5_000));
        c.put("length beyond input", new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x06, 0x09});
        c.put("wrong recipient", sealer.seal(Samples.JSON, ec.identity("lancs-police"),
                List.of(ec.identity("mash-bpl").certificate()), ContentEncryption.AES_256_GCM));
        byte[] ciphertext = Samples.encryptedContent(gcm);
        int at = Samples.indexOf(gcm, ciphertext);
        c.put("GCM ciphertext flipped at start", Samples.flip(gcm, at));
        c.put("GCM ciphertext flipped in the middle", Samples.flip(gcm, at + ciphertext.length / 2));
        c.put("GCM tag flipped", Samples.flip(gcm, gcm.length - 1));
        byte[] cbcText = Samples.encryptedContent(cbc);
        int cbcAt = Samples.indexOf(cbc, cbcText);
        c.put("CBC ciphertext flipped at start", Samples.flip(cbc, cbcAt));
        c.put("CBC last block flipped", Samples.flip(cbc, cbcAt + cbcText.length - 1));
        c.put("3DES", OpenSsl.signAndEncrypt(Samples.JSON, rsa.cert("lancs-police"), rsa.key("lancs-police"), rsa.cert("hub"), "-des3"));
        c.put("AES-128-GCM", OpenSsl.signAndEncrypt(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), ec.cert("hub"),
                "-aes-128-gcm"));
        c.put("SHA-1 signature", OpenSsl.signAndEncrypt(Samples.JSON, rsa.cert("lancs-police"), rsa.key("lancs-police"),
                rsa.cert("hub"), "-aes-256-gcm", List.of("-md", "sha1"), List.of()));
        c.put("unsigned JSON inside", encryptToHub(ec, Samples.JSON, ContentEncryption.AES_256_GCM));
        c.put("unsigned JSON inside OpenSSL CBC", OpenSsl.encrypt(Samples.JSON, ec.cert("hub"), "-aes-256-cbc", List.of()));
        byte[] signed = sealer.sign(Samples.JSON, ec.identity("lancs-police"));
        byte[] altered = signed.clone();
        int area = Samples.indexOf(altered, "\"BPL\"".getBytes(StandardCharsets.US_ASCII));
        altered[area + 2] = 'W';
        c.put("content altered after signing", encryptToHub(ec, altered, ContentEncryption.AES_256_CBC));
        c.put("detached signature", encryptToHub(ec, OpenSsl.run(List.of("cms", "-sign", "-binary", "-md", "sha256",
                "-signer", ec.cert("lancs-police").toString(), "-inkey", ec.key("lancs-police").toString(), "-outform", "DER"),
                Samples.JSON), ContentEncryption.AES_256_GCM));
        c.put("no signer", encryptToHub(ec, new CMSSignedDataGenerator().generate(new CMSProcessableByteArray(Samples.JSON), true)
                .toASN1Structure().getEncoded(ASN1Encoding.DER), ContentEncryption.AES_256_GCM));
        c.put("signer certificate left out", encryptToHub(ec, OpenSsl.sign(Samples.JSON, ec.cert("lancs-police"),
                ec.key("lancs-police"), List.of("-nocerts")), ContentEncryption.AES_256_GCM));
        c.put("hostile nesting inside", encryptToHub(ec, HostileAsn1Test.nestedIndefinite(100_000), ContentEncryption.AES_256_GCM));
        c.put("trailing bytes inside", encryptToHub(ec, Arrays.copyOf(signed, signed.length + 2), ContentEncryption.AES_256_GCM));
        return c;
    }

    @Test
    void everyKnownBadInputFailsTheSameWayStreamed() throws Exception {
        Map<String, CryptoFailure> expected = new LinkedHashMap<>();
        expected.put("good GCM", null);
        expected.put("good CBC", null);
        expected.put("wrong recipient", CryptoFailure.UNDECRYPTABLE);
        expected.put("GCM ciphertext flipped in the middle", CryptoFailure.UNDECRYPTABLE);
        expected.put("GCM tag flipped", CryptoFailure.UNDECRYPTABLE);
        expected.put("3DES", CryptoFailure.WEAK_ALGORITHM);
        expected.put("AES-128-GCM", CryptoFailure.WEAK_ALGORITHM);
        expected.put("SHA-1 signature", CryptoFailure.WEAK_SIGNATURE);
        expected.put("unsigned JSON inside", CryptoFailure.BAD_SIGNATURE);
        expected.put("content altered after signing", CryptoFailure.BAD_SIGNATURE);
        expected.put("detached signature", CryptoFailure.BAD_SIGNATURE);
        expected.put("no signer", CryptoFailure.BAD_SIGNATURE);
        expected.put("signer certificate left out", CryptoFailure.BAD_SIGNATURE);
        expected.put("hostile nesting inside", CryptoFailure.BAD_SIGNATURE);
        expected.put("trailing bytes", CryptoFailure.UNDECRYPTABLE);
        expected.put("empty", CryptoFailure.UNDECRYPTABLE);
        EnvelopeOpener opener = Samples.hubOpener(ec);
        EnvelopeOpener rsaOpener = Samples.hubOpener(rsa);
        for (Map.Entry<String, byte[]> e : corpus().entrySet()) {
            EnvelopeOpener o = e.getKey().equals("3DES") || e.getKey().equals("SHA-1 signature") ? rsaOpener : opener;
            CryptoFailure whole = whole(o, e.getValue());
            assertThat(streamed(o, e.getValue())).as(e.getKey()).isEqualTo(whole);
            if (expected.containsKey(e.getKey())) {
                assertThat(whole).as(e.getKey()).isEqualTo(expected.get(e.getKey()));
            } else {
                assertThat(whole).as(e.getKey()).isNotNull();
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"ec,-aes-256-gcm", "ec,-aes-256-cbc", "rsa,-aes-256-gcm", "rsa,-aes-256-cbc"})
    void mutationsFailTheSameWayStreamed(String pkiName, String cipher) throws Exception {
        TestPki pki = SealOpenRoundTripTest.pki(pkiName);
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"), cipher);
        EnvelopeOpener opener = Samples.hubOpener(pki);
        Random random = new Random(cipher.hashCode() * 17L + pkiName.hashCode());
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            byte[] m = HostileInputFuzzTest.mutate(env, random);
            CryptoFailure whole = whole(opener, m);
            assertThat(streamed(opener, m)).as("mutation %d", i).isEqualTo(whole);
            refused += whole == null ? 0 : 1;
        }
        assertThat(refused).isGreaterThan(250);
    }

    @Test
    void aHugeClaimedLengthInTheHeaderIsRefusedBeforeAnyAllocation() {
        // ContentInfo claiming 2 GiB, its OID, [0] claiming almost as much, then a SET whose first element is an INTEGER
        // claiming 1 GiB: Bouncy Castle would allocate it before reading; the guard refuses at its length bytes.
        byte[] hostile = {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0,
                0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x07, 0x03,
                (byte) 0xa0, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xd0,
                0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xc0,
                0x02, (byte) 0x84, 0x40, 0x00, 0x00, 0x00, 0x01};
        CryptoException e = Failures.expectFailure(CryptoFailure.UNDECRYPTABLE,
                () -> Samples.hubOpener(ec).open(new ByteArrayInputStream(hostile), OutputStream.nullOutputStream()));
        assertThat(e.detail()).isEqualTo("the envelope's encoding is refused: the primitive element at byte 29 is longer than"
                + " 64 KiB outside the encrypted or signed content");
        Asn1StreamGuard guard = new Asn1StreamGuard(new ByteArrayInputStream(hostile));
        Throwable t = catchThrowable(() -> guard.read(new byte[hostile.length], 0, hostile.length));
        assertThat(t).isInstanceOf(IOException.class).hasMessage("the primitive element at byte 29 is longer than 64 KiB"
                + " outside the encrypted or signed content");
        assertThat(guard.failed()).isTrue();
    }

    @Test
    void theBulkMayBeLargeOnlyWhereCmsPutsIt() throws Exception {
        // a large primitive OCTET STRING as the encryptedKey of a RecipientInfo (inside the SET at level four)
        byte[] big = new byte[Asn1StreamGuard.MAX_SMALL_PRIMITIVE + 1];
        org.bouncycastle.asn1.ASN1EncodableVector ri = new org.bouncycastle.asn1.ASN1EncodableVector();
        ri.add(new org.bouncycastle.asn1.ASN1Integer(0));
        ri.add(new org.bouncycastle.asn1.DEROctetString(big));
        byte[] hostile = new org.bouncycastle.asn1.cms.ContentInfo(org.bouncycastle.asn1.cms.CMSObjectIdentifiers.envelopedData,
                new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                        new org.bouncycastle.asn1.ASN1Integer(0),
                        new org.bouncycastle.asn1.DERSet(new org.bouncycastle.asn1.DERSequence(ri))})).getEncoded("DER");
        Asn1StreamGuard guard = new Asn1StreamGuard(new ByteArrayInputStream(hostile));
        Throwable t = catchThrowable(guard::finish);
        assertThat(t).isInstanceOf(IOException.class).hasMessageEndingWith("is longer than 64 KiB outside the encrypted or"
                + " signed content");
        // while a 1 MiB package's DER content (OpenSSL's encoding) passes
        byte[] large = OpenSsl.signAndEncrypt(StreamingSealOpenTest.content(1 << 20, 3), ec.cert("lancs-police"),
                ec.key("lancs-police"), ec.cert("hub"), "-aes-256-gcm");
        new Asn1StreamGuard(new ByteArrayInputStream(large)).finish();
        Asn1Guard.scan(large);
    }

    @Test
    void aFailingInputIsAnIoExceptionNotAVerdict() throws Exception {
        byte[] gcm = new CmsSealer(Samples.POLICY).seal(StreamingSealOpenTest.content(500_000, 1), ec.identity("lancs-police"),
                List.of(ec.identity("hub").certificate()), ContentEncryption.AES_256_GCM);
        InputStream breaking = new InputStream() {
            private final InputStream in = new ByteArrayInputStream(gcm, 0, gcm.length / 2);

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n < 0) {
                    throw new IOException("connection reset");
                }
                return n;
            }
        };
        Throwable t = catchThrowable(() -> Samples.hubOpener(ec).open(breaking, OutputStream.nullOutputStream()));
        assertThat(t).isInstanceOf(IOException.class).hasMessage("connection reset");
    }

    @Test
    void aFailingOutputIsAnIoExceptionNotAVerdict() throws Exception {
        byte[] cbc = new CmsSealer(Samples.POLICY).seal(StreamingSealOpenTest.content(500_000, 2), ec.identity("lancs-police"),
                List.of(ec.identity("hub").certificate()), ContentEncryption.AES_256_CBC);
        OutputStream full = new OutputStream() {
            private long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 100_000) {
                    throw new IOException("disk full");
                }
            }
        };
        Throwable t = catchThrowable(() -> Samples.hubOpener(ec).open(new ByteArrayInputStream(cbc), full));
        assertThat(t).isInstanceOf(IOException.class).hasMessage("disk full");
    }
}
