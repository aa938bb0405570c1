package org.safeguarding.hub.crypto;

import static org.safeguarding.hub.crypto.CryptoFailure.BAD_SIGNATURE;
import static org.safeguarding.hub.crypto.CryptoFailure.UNDECRYPTABLE;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.safeguarding.hub.crypto.testing.TestPki;

/** Inputs built to exhaust a parser: refused quickly, and only ever with a CryptoException. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HostileAsn1Test {
    private final TestPki pki = TestPki.ec();

    static byte[] nestedIndefinite(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < depth; i++) {
            out.write(0x30);
            out.write(0x80);
        }
        for (int i = 0; i < depth; i++) {
            out.write(0);
            out.write(0);
        }
        return out.toByteArray();
    }

    /** {@code depth} SEQUENCEs around a NULL, every length in its shortest form. */
    static byte[] nestedDefinite(int depth) {
        byte[] inner = {0x05, 0x00};
        for (int i = 0; i < depth; i++) {
            byte[] len = Tlv.length(inner.length, 0);
            byte[] outer = new byte[1 + len.length + inner.length];
            outer[0] = 0x30;
            System.arraycopy(len, 0, outer, 1, len.length);
            System.arraycopy(inner, 0, outer, 1 + len.length, inner.length);
            inner = outer;
        }
        return inner;
    }

    @Test
    void deeplyNestedIndefiniteLengthIsRefused() {
        byte[] hostile = nestedIndefinite(200_000);
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(hostile));
        Failures.expectFailure(BAD_SIGNATURE, () -> new SignatureVerifier(Samples.POLICY).verify(hostile));
    }

    @Test
    void deeplyNestedDefiniteLengthIsRefused() {
        byte[] hostile = nestedDefinite(5_000);
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(hostile));
    }

    @Test
    void lengthBeyondTheInputIsRefused() {
        byte[] hostile = {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x06, 0x09};
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(hostile));
        byte[] huge = {0x30, (byte) 0x88, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        Failures.expectFailure(UNDECRYPTABLE, () -> Samples.hubOpener(pki).open(huge));
    }

    @Test
    void deepNestingInsideTheEnvelopeIsRefused() throws Exception {
        // a well-formed envelope for the hub whose plaintext is hostile ASN.1
        byte[] env = new CmsSealer(Samples.POLICY).encrypt(nestedIndefinite(100_000), List.of(pki.identity("hub").certificate()),
                ContentEncryption.AES_256_GCM);
        Failures.expectFailure(BAD_SIGNATURE, () -> Samples.hubOpener(pki).open(env));
    }

    @Test
    void moderateNestingWithinTheLimitIsParsedNormally() throws Exception {
        Asn1Guard.scan(nestedIndefinite(Asn1Guard.MAX_DEPTH));
        Asn1Guard.scan(nestedDefinite(Asn1Guard.MAX_DEPTH));
    }
}
