package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.safeguarding.hub.crypto.CryptoFailure.BAD_SIGNATURE;
import static org.safeguarding.hub.crypto.CryptoFailure.UNDECRYPTABLE;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * What the hub accepts of BER, envelope and SignedData alike (crypto/README.md, <i>Encodings</i>): DER, and BER with
 * definite or indefinite lengths at any level, as OpenSSL's {@code -stream} and Bouncy Castle's streaming generators
 * write it; never a definite length in more octets than it needs, a length that runs past its container, nesting
 * deeper than {@value Asn1Guard#MAX_DEPTH} levels, or the other forms below. The envelope's encoding refused is
 * UNDECRYPTABLE, the SignedData's (inside an envelope that opened) BAD_SIGNATURE; the byte-array and the streaming open
 * say the same, with the same detail.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BerEncodingTest {
    private static final String ENVELOPE_REFUSED = "the envelope's encoding is refused: ";
    private static final String SIGNED_DATA_REFUSED = "the SignedData's encoding is refused: ";

    private final TestPki ec = TestPki.ec();
    private final TestPki rsa = TestPki.rsa();
    private final CmsSealer sealer = new CmsSealer(Samples.POLICY);

    /** Opens both ways and requires the sample content both times. */
    private static void opens(EnvelopeOpener opener, byte[] env, String what) {
        Throwable t = catchThrowable(() -> assertThat(opener.open(env).content()).isEqualTo(Samples.JSON));
        assertThat(t).as(what + " (byte array)").isNull();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t = catchThrowable(() -> opener.open(new ByteArrayInputStream(env), out));
        assertThat(t).as(what + " (streamed)").isNull();
        assertThat(out.toByteArray()).as(what).isEqualTo(Samples.JSON);
    }

    /**
     * Refused with {@code kind} both ways; when both refusals are the guard's, with the same detail (what Bouncy Castle
     * refuses may be worded differently by its two parsers, and the streaming one may trip over a broken structure
     * before the guard has seen the bytes further on). Returns the byte-array open's detail.
     */
    private static String refusedBothWays(EnvelopeOpener opener, byte[] b, CryptoFailure kind) {
        CryptoException whole = Failures.expectFailure(kind, () -> opener.open(b));
        CryptoException streamed = Failures.expectFailure(kind,
                () -> opener.open(new ByteArrayInputStream(b), new ByteArrayOutputStream()));
        if (byTheGuard(whole) && byTheGuard(streamed)) {
            assertThat(streamed.detail()).isEqualTo(whole.detail());
        }
        return whole.detail();
    }

    private static boolean byTheGuard(CryptoException e) {
        return e.detail().startsWith(ENVELOPE_REFUSED) || e.detail().startsWith(SIGNED_DATA_REFUSED);
    }

    private byte[] seal(TestPki pki, ContentEncryption enc) throws CryptoException {
        return sealer.seal(Samples.JSON, pki.identity("lancs-police"), List.of(pki.identity("hub").certificate()), enc);
    }

    private byte[] toHub(TestPki pki, byte[] inner) throws CryptoException {
        return sealer.encrypt(inner, List.of(pki.identity("hub").certificate()), ContentEncryption.AES_256_GCM);
    }

    // ---- accepted: indefinite lengths, as CMS producers write them ----

    @ParameterizedTest(name = "{0}")
    @CsvSource({"-aes-256-gcm", "-aes-256-cbc"})
    void opensslStreamedBerOpensAsItDidBefore(String cipher) {
        byte[] signed = OpenSsl.sign(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), List.of("-stream"));
        byte[] env = OpenSsl.encrypt(signed, ec.cert("hub"), cipher, List.of("-stream"));
        assertThat(signed[1] & 0xff).as("OpenSSL -stream writes an indefinite length").isEqualTo(0x80);
        assertThat(env[1] & 0xff).isEqualTo(0x80);

        opens(Samples.hubOpener(ec), env, "openssl -stream " + cipher);
    }

    @Test
    void anIndefiniteLengthAtAnyLevelOfTheEnvelopeOpens() throws Exception {
        for (TestPki pki : List.of(ec, rsa)) {
            for (ContentEncryption enc : ContentEncryption.values()) {
                Tlv root = Tlv.parse(seal(pki, enc));
                int constructed = 0;
                for (Tlv node : root.walk()) {
                    if (node.constructed()) {
                        node.indefinite = true;
                        opens(Samples.hubOpener(pki), root.encode(), enc + " indefinite at " + node);
                        node.indefinite = false;
                        constructed++;
                    }
                }
                assertThat(constructed).isGreaterThan(10);
                root.walk().forEach(n -> n.indefinite = n.constructed());
                opens(Samples.hubOpener(pki), root.encode(), enc + " indefinite everywhere");
            }
        }
    }

    @Test
    void anIndefiniteLengthAtAnyLevelOfTheSignedDataOpens() throws Exception {
        // the signer's certificate and the signed attributes too: Bouncy Castle re-encodes both as DER before checking
        for (TestPki pki : List.of(ec, rsa)) {
            Tlv root = Tlv.parse(sealer.sign(Samples.JSON, pki.identity("lancs-police")));
            for (Tlv node : root.walk()) {
                if (node.constructed()) {
                    node.indefinite = true;
                    opens(Samples.hubOpener(pki), toHub(pki, root.encode()), "SignedData indefinite at " + node);
                    node.indefinite = false;
                }
            }
            root.walk().forEach(n -> n.indefinite = n.constructed());
            opens(Samples.hubOpener(pki), toHub(pki, root.encode()), "SignedData indefinite everywhere");
        }
    }

    @Test
    void shortestFormDefiniteLengthsInTheLongFormAreAccepted() throws Exception {
        // 0x81 0x80 (128) and 0x82 0x01 0x00 (256) are the shortest forms of their lengths
        for (int len : new int[] {128, 255, 256, 65_535, 65_536}) {
            byte[] b = wrap(0x30, wrap(0x04, new byte[len]));
            assertThatCode(() -> Asn1Guard.scan(b)).as("length %d", len).doesNotThrowAnyException();
        }
    }

    private static byte[] wrap(int tag, byte[] content) {
        byte[] header = Tlv.length(content.length, 0);
        byte[] b = new byte[1 + header.length + content.length];
        b[0] = (byte) tag;
        System.arraycopy(header, 0, b, 1, header.length);
        System.arraycopy(content, 0, b, 1 + header.length, content.length);
        return b;
    }

    // ---- refused: a definite length not in its shortest form ----

    @Test
    void aLengthNotInItsShortestFormIsRefusedAtEveryLevelOfTheEnvelope() throws Exception {
        for (ContentEncryption enc : ContentEncryption.values()) {
            Tlv root = Tlv.parse(seal(ec, enc));
            for (Tlv node : root.walk()) {
                // one octet more than needed: 0x81 0x05 for 5, 0x82 0x00 0x85 for 133, ...
                node.lengthOctets = Tlv.length(node.contentLength(), 0).length;
                String detail = WeakAlgorithmTest.refused(Samples.hubOpener(ec), root.encode(), UNDECRYPTABLE);
                assertThat(detail).as(enc + " " + node).matches(ENVELOPE_REFUSED.replace("(", "\\(").replace(")", "\\)")
                        + "the length of the element at byte \\d+ is not in its shortest form \\(DER's rule, which the hub"
                        + " applies to BER too\\)");
                node.lengthOctets = 0;
            }
        }
    }

    @Test
    void aLengthNotInItsShortestFormIsRefusedAtEveryLevelOfTheSignedData() throws Exception {
        Tlv root = Tlv.parse(sealer.sign(Samples.JSON, ec.identity("lancs-police")));
        for (Tlv node : root.walk()) {
            node.lengthOctets = Tlv.length(node.contentLength(), 0).length;
            String detail = WeakAlgorithmTest.refused(Samples.hubOpener(ec), toHub(ec, root.encode()), BAD_SIGNATURE);
            assertThat(detail).as(node.toString()).startsWith(SIGNED_DATA_REFUSED + "the length of the element at byte ")
                    .endsWith(" is not in its shortest form (DER's rule, which the hub applies to BER too)");
            node.lengthOctets = 0;
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // the long form for a length under 128: 0x81 0x04 for 4
            "30810405000500, 0",
            // a leading zero octet: 0x82 0x00 0x04, 0x84 0x00 0x00 0x00 0x04
            "3082000405000500, 0",
            "30840000000405000500, 0",
            // inside: a NULL's length 0 as 0x81 0x00
            "30050581000500, 2",
            // an end-of-contents written with a long-form length
            "30800500008100, 4"})
    void theCraftedFormsAreRefusedWithTheByteOfTheirElement(String hex, int at) {
        byte[] b = java.util.HexFormat.of().parseHex(hex);
        Throwable t = catchThrowable(() -> Asn1Guard.scan(b));
        assertThat(t).isInstanceOf(Asn1Guard.Refused.class).hasMessage("the length of the element at byte " + at
                + " is not in its shortest form (DER's rule, which the hub applies to BER too)");
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), b, UNDECRYPTABLE)).isEqualTo(ENVELOPE_REFUSED + t.getMessage());
    }

    // ---- refused: lengths that lie ----

    @Test
    void aLengthBeyondItsContainerOrTheBodyIsRefusedAtEveryLevel() throws Exception {
        for (ContentEncryption enc : ContentEncryption.values()) {
            Tlv root = Tlv.parse(seal(ec, enc));
            int byTheGuard = 0;
            List<Tlv> nodes = root.walk();
            for (Tlv node : nodes) {
                node.lengthDelta = 1;
                // the elements after it no longer line up: mostly the guard refuses whichever it meets first, but an
                // INTEGER that swallows the next tag can leave a well-formed structure that is not CMS
                String detail = WeakAlgorithmTest.refused(Samples.hubOpener(ec), root.encode(), UNDECRYPTABLE);
                byTheGuard += detail.startsWith(ENVELOPE_REFUSED) ? 1 : 0;
                node.lengthDelta = 0;
            }
            assertThat(byTheGuard).as(enc.toString()).isGreaterThan(nodes.size() * 3 / 4);
            // the top-level element and the [0] holding the enveloped data: past the body, past its container
            root.lengthDelta = 1;
            assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), root.encode(), UNDECRYPTABLE))
                    .startsWith(ENVELOPE_REFUSED + "the body ends inside an element");
            root.lengthDelta = 0;
            root.at(1).lengthDelta = 1;
            assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), root.encode(), UNDECRYPTABLE))
                    .isEqualTo(ENVELOPE_REFUSED + "the length of the element at byte " + root.at(1).offset
                            + " runs past the end of its container");
            root.at(1).lengthDelta = 0;
        }
        Tlv inner = Tlv.parse(sealer.sign(Samples.JSON, ec.identity("lancs-police")));
        int byTheGuard = 0;
        for (Tlv node : inner.walk()) {
            node.lengthDelta = 1;
            byTheGuard += refusedBothWays(Samples.hubOpener(ec), toHub(ec, inner.encode()), BAD_SIGNATURE)
                    .startsWith(SIGNED_DATA_REFUSED) ? 1 : 0;
            node.lengthDelta = 0;
        }
        assertThat(byTheGuard).isGreaterThan(inner.walk().size() * 3 / 4);
    }

    @Test
    void aLengthClaimingGigabytesIsRefusedAtItsLengthOctets() {
        byte[] twoGiB = {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x06, 0x09};
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), twoGiB, UNDECRYPTABLE))
                .isEqualTo(ENVELOPE_REFUSED + "the body ends inside an element (byte 8): it is cut short or a length is wrong");
        byte[] innerLies = {0x30, 0x06, 0x30, (byte) 0x84, 0x7f, 0x00, 0x00, 0x00};
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), innerLies, UNDECRYPTABLE))
                .isEqualTo(ENVELOPE_REFUSED + "the length of the element at byte 2 runs past the end of its container");
    }

    // ---- refused: other forms ----

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "more than four length octets, 3085000000000305000000, the length at byte 1 takes more than four octets",
            "the reserved length octet 0xff, 30ff, the length at byte 1 takes more than four octets",
            "an indefinite primitive, 30800480000000, 'the primitive element at byte 2 has an indefinite length, which BER does not allow'",
            "an end-of-contents closing nothing, 30020000, the end-of-contents at byte 2 closes nothing",
            "bytes after the element, 30020500ff, 'bytes follow the complete element, from byte 4'",
            "an APPLICATION tag, 30026000, 'the element at byte 2 has an APPLICATION or PRIVATE tag, which CMS does not use'",
            "a PRIVATE tag, 3002c000, 'the element at byte 2 has an APPLICATION or PRIVATE tag, which CMS does not use'",
            "an indefinite length never closed, 30800500, 'the body ends inside an element (byte 4): it is cut short or a length is wrong'"})
    void otherFormsAreRefusedTheSameWayBothWays(String what, String hex, String why) {
        byte[] b = java.util.HexFormat.of().parseHex(hex);
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), b, UNDECRYPTABLE)).as(what).isEqualTo(ENVELOPE_REFUSED + why);
    }

    @Test
    void aTagNumberBelow31InTheLongFormIsRefused() throws Exception {
        // [0] written as 0xbf 0x00 (the high-tag-number form for tag number 0): Bouncy Castle refuses it
        Tlv root = Tlv.parse(seal(ec, ContentEncryption.AES_256_GCM));
        root.at(1).tag = new byte[] {(byte) 0xbf, 0x00};
        byte[] longTag = root.encode();
        assertThatCode(() -> Asn1Guard.scan(longTag)).as("a well-formed tag-length structure").doesNotThrowAnyException();

        refusedBothWays(Samples.hubOpener(ec), longTag, UNDECRYPTABLE);
    }

    @Test
    void aBodyThatIsNotASequenceIsNotCmsAndPlainContentInsideIsNotSigned() throws Exception {
        for (byte[] notCms : List.of(Samples.JSON, "-----BEGIN CMS-----\nMIAG\n-----END CMS-----\n".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII), new byte[] {0x31, 0x00}, new byte[] {0x04, 0x00})) {
            assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), notCms, UNDECRYPTABLE)).isEqualTo("the body is not a"
                    + " CMS message: it does not begin with an ASN.1 SEQUENCE, as a CMS ContentInfo does (send the DER or BER"
                    + " envelope itself, not PEM or base64)");
        }
        // R11: the submission JSON encrypted to the hub without being signed
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), toHub(ec, Samples.JSON), BAD_SIGNATURE))
                .isEqualTo("the content inside the envelope is not signed: it does not begin with an ASN.1 SEQUENCE, as a"
                        + " CMS ContentInfo does (sign the submission as CMS SignedData, then encrypt the signed message)");
    }

    // ---- nesting ----

    @Test
    void nestingUpToTheLimitPassesTheGuardAndOneLevelMoreIsRefused() throws Exception {
        int max = Asn1Guard.MAX_DEPTH;
        for (byte[] ok : List.of(HostileAsn1Test.nestedIndefinite(max), HostileAsn1Test.nestedDefinite(max))) {
            assertThatCode(() -> Asn1Guard.scan(ok)).doesNotThrowAnyException();
            assertThatCode(() -> new Asn1StreamGuard(new ByteArrayInputStream(ok)).finish()).doesNotThrowAnyException();
            // within the limit it is up to Bouncy Castle: not CMS
            refusedBothWays(Samples.hubOpener(ec), ok, UNDECRYPTABLE);
        }
        byte[] indefinite = HostileAsn1Test.nestedIndefinite(max + 1);
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), indefinite, UNDECRYPTABLE))
                .isEqualTo(ENVELOPE_REFUSED + "the element at byte " + 2 * max + " is nested deeper than 48 levels");
        byte[] definite = HostileAsn1Test.nestedDefinite(max + 1);
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), definite, UNDECRYPTABLE))
                .startsWith(ENVELOPE_REFUSED).endsWith(" is nested deeper than 48 levels");
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), toHub(ec, indefinite), BAD_SIGNATURE))
                .isEqualTo(SIGNED_DATA_REFUSED + "the element at byte " + 2 * max + " is nested deeper than 48 levels");
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), toHub(ec, definite), BAD_SIGNATURE))
                .startsWith(SIGNED_DATA_REFUSED).endsWith(" is nested deeper than 48 levels");
    }

    @Test
    void realMessagesNestFarBelowTheLimit() throws Exception {
        List<byte[]> real = new ArrayList<>();
        for (TestPki pki : List.of(ec, rsa)) {
            for (ContentEncryption enc : ContentEncryption.values()) {
                real.add(seal(pki, enc));
            }
            real.add(sealer.sign(Samples.JSON, pki.identity("lancs-police")));
            real.add(OpenSsl.sign(Samples.JSON, pki.cert("lancs-police"), pki.key("lancs-police"), List.of("-stream")));
        }
        for (byte[] m : real) {
            assertThat(Tlv.parse(m).depth()).isLessThanOrEqualTo(Asn1Guard.MAX_DEPTH / 3);
        }
    }

    @Test
    void theGuardsFailWithTheirReasonAndRememberIt() throws IOException {
        Asn1StreamGuard guard = new Asn1StreamGuard(new ByteArrayInputStream(new byte[] {0x30, (byte) 0x81, 0x01, 0x00}));
        Throwable t = catchThrowable(guard::finish);
        assertThat(t).isInstanceOf(Asn1Guard.Refused.class);
        assertThat(guard.failed()).isTrue();
        assertThat(guard.refusal()).isEqualTo(t.getMessage());
        assertThat(catchThrowable(guard::read)).as("and keeps refusing").hasMessage(t.getMessage());
    }
}
