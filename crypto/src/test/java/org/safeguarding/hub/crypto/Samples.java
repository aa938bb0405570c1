package org.safeguarding.hub.crypto;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.safeguarding.hub.crypto.testing.TestPki;

/** Shared test inputs. */
final class Samples {
    private Samples() {}

    static final byte[] JSON = """
            {"submissionId":"8a5f2c1e-3b7d-4e22-9c1a-0f6b2d9e7a10","partnerId":"lancs-police",\
            "submittedAt":"2026-03-01T10:00:00Z","area":"BPL","categories":["CCE"],"purpose":"SAFEGUARDING",\
            "classification":"OFFICIAL","handling":{"code":"P"},"grading":{"source":"1","intelligence":"A"},\
            "subjects":[{"ref":"S1","role":"CHILD_AT_RISK","ageYears":14}],"narrative":"Test narrative \u00e9"}
            """.getBytes(StandardCharsets.UTF_8);

    /**
     * The policy for a participant the partnership allows RSA PKCS#1 v1.5 key transport: most tests here drive OpenSSL,
     * whose default RSA key transport it is, or the sealer's PKCS#1 v1.5 option. {@link RsaPkcs1KeyTransportTest} holds
     * the built-in policy's refusal of it.
     */
    static final AlgorithmPolicy POLICY = AlgorithmPolicy.defaults().withRsaPkcs1KeyTransport();

    /** The built-in policy: RSA PKCS#1 v1.5 key transport refused. */
    static final AlgorithmPolicy STRICT = AlgorithmPolicy.defaults();

    static EnvelopeOpener hubOpener(TestPki pki) {
        return new EnvelopeOpener(List.of(pki.identity("hub")), POLICY);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        return org.safeguarding.hub.crypto.testing.Bytes.indexOf(haystack, needle);
    }

    static byte[] flip(byte[] in, int index) {
        byte[] out = in.clone();
        out[index] ^= 0x01;
        return out;
    }

    /** The encrypted content octets of an (Auth)EnvelopedData, to locate them in the DER. */
    static byte[] encryptedContent(byte[] envelope) {
        org.bouncycastle.asn1.cms.ContentInfo ci = org.bouncycastle.asn1.cms.ContentInfo.getInstance(envelope);
        if (ci.getContentType().equals(org.bouncycastle.asn1.cms.CMSObjectIdentifiers.authEnvelopedData)) {
            return org.bouncycastle.asn1.cms.AuthEnvelopedData.getInstance(ci.getContent()).getAuthEncryptedContentInfo()
                    .getEncryptedContent().getOctets();
        }
        return org.bouncycastle.asn1.cms.EnvelopedData.getInstance(ci.getContent()).getEncryptedContentInfo()
                .getEncryptedContent().getOctets();
    }

    static TrustValidator validator(TestPki pki) {
        return new TrustValidator(new FileTrustMaterial(pki.caPem(), pki.crl()));
    }
}
