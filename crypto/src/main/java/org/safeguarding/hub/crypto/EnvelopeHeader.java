package org.safeguarding.hub.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1SetParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.cms.AuthEnvelopedDataParser;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfoParser;
import org.bouncycastle.asn1.cms.EncryptedContentInfoParser;
import org.bouncycastle.asn1.cms.EnvelopedDataParser;
import org.bouncycastle.asn1.cms.KEKRecipientInfo;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.OtherRecipientInfo;
import org.bouncycastle.asn1.cms.PasswordRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;

/**
 * The head of a sealed message, read before Bouncy Castle's CMS classes see it: its content type and, for
 * (Auth)EnvelopedData, its RecipientInfos and content encryption algorithm. The RecipientInfos must pass the hub's
 * rules (crypto/README.md, <i>RecipientInfos</i>):
 * <ul>
 *   <li>every RecipientInfo is a KeyTransRecipientInfo (RSA key transport: RSA-OAEP or PKCS#1 v1.5) or a
 *       KeyAgreeRecipientInfo (ECDH with a KDF and a key wrap), with algorithms the {@link AlgorithmPolicy} accepts,
 *       whoever it is for: the hub keeps the sealed message (its intake queue, quarantine), and a sealed message is
 *       only as confidential as its weakest RecipientInfo. KEKRecipientInfo (a key shared in advance),
 *       PasswordRecipientInfo and OtherRecipientInfo (KEMRecipientInfo among them) are refused, as Bouncy Castle would
 *       otherwise silently drop an OtherRecipientInfo it does not know;</li>
 *   <li>at most {@value #MAX_RECIPIENTS} recipients (a KeyAgreeRecipientInfo counts once per RecipientEncryptedKey);</li>
 *   <li>everything up to the end of the RecipientInfos at most {@value #MAX_HEADER_BYTES} bytes: Bouncy Castle reads
 *       all of it into memory before the content.</li>
 * </ul>
 * Whether one of them is for the hub, and only one per hub certificate, {@link EnvelopeOpener} judges with its keys.
 */
final class EnvelopeHeader {
    /** The most recipients one envelope may name: the hub (two certificates during a rollover) and a few others. */
    static final int MAX_RECIPIENTS = 16;
    /** The most bytes before the end of the RecipientInfos: far above 16 RSA-16384 RecipientInfos. */
    static final int MAX_HEADER_BYTES = 256 * 1024;

    /** The ContentInfo's content type, whatever it is: the caller refuses what is not (Auth)EnvelopedData. */
    final ASN1ObjectIdentifier contentType;
    /** The RecipientInfos of an (Auth)EnvelopedData, or null. */
    final ASN1Set recipientInfos;
    /** The content encryption algorithm's policy name, or null when unknown (or not enveloped). */
    final String contentEncryption;

    private EnvelopeHeader(ASN1ObjectIdentifier contentType, ASN1Set recipientInfos, String contentEncryption) {
        this.contentType = contentType;
        this.recipientInfos = recipientInfos;
        this.contentEncryption = contentEncryption;
    }

    boolean authenticated() {
        return CMSObjectIdentifiers.authEnvelopedData.equals(contentType);
    }

    boolean enveloped() {
        return authenticated() || CMSObjectIdentifiers.envelopedData.equals(contentType);
    }

    /**
     * Reads the head of {@code in}: everything up to the content encryption algorithm, at most
     * {@link #MAX_HEADER_BYTES}; the caller rewinds the stream and checks what it found ({@link #check}).
     *
     * @throws CryptoException {@link CryptoFailure#UNDECRYPTABLE} when the header is too large
     * @throws IOException     when the stream fails or the encoding is refused (the caller asks its guard which), or
     *                         the structure is not that of a ContentInfo
     */
    static EnvelopeHeader read(InputStream in) throws CryptoException, IOException {
        Counting counted = new Counting(in);
        ASN1ObjectIdentifier type;
        ASN1Set recipientInfos;
        EncryptedContentInfoParser content;
        try {
            ContentInfoParser ci = new ContentInfoParser((ASN1SequenceParser) new ASN1StreamParser(
                    new ASN1InputStream(counted, Integer.MAX_VALUE)).readObject());
            type = ci.getContentType();
            if (CMSObjectIdentifiers.envelopedData.equals(type)) {
                EnvelopedDataParser env = new EnvelopedDataParser((ASN1SequenceParser) ci.getContent(BERTags.SEQUENCE));
                env.getOriginatorInfo();
                recipientInfos = set(env.getRecipientInfos());
                content = env.getEncryptedContentInfo();
            } else if (CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
                AuthEnvelopedDataParser env = new AuthEnvelopedDataParser((ASN1SequenceParser) ci.getContent(BERTags.SEQUENCE));
                env.getOriginatorInfo();
                recipientInfos = set(env.getRecipientInfos());
                content = env.getAuthEncryptedContentInfo();
            } else {
                return new EnvelopeHeader(type, null, null);
            }
            String contentEncryption = content == null ? null
                    : Algorithms.contentEncryption(content.getContentEncryptionAlgorithm().getAlgorithm());
            return new EnvelopeHeader(type, recipientInfos, contentEncryption);
        } catch (IOException | RuntimeException e) {
            if (counted.exceeded) {
                throw new CryptoException(CryptoFailure.UNDECRYPTABLE, "the envelope's originator information and"
                        + " RecipientInfos take more than " + MAX_HEADER_BYTES / 1024 + " KiB; address at most "
                        + MAX_RECIPIENTS + " recipients");
            }
            throw e instanceof IOException io ? io : new IOException("not a CMS ContentInfo", e);
        }
    }

    private static ASN1Set set(ASN1SetParser p) {
        return p == null ? null : ASN1Set.getInstance(p.toASN1Primitive());
    }

    /** The rules above, on this envelope's RecipientInfos. */
    void checkRecipientInfos(AlgorithmPolicy policy) throws CryptoException {
        check(recipientInfos, policy);
    }

    /** The rules above, on the RecipientInfos of an envelope. */
    static void check(ASN1Set recipientInfos, AlgorithmPolicy policy) throws CryptoException {
        if (recipientInfos == null || recipientInfos.size() == 0) {
            throw undecryptable("the envelope has no RecipientInfo; encrypt it to the hub's certificate");
        }
        if (recipientInfos.size() > MAX_RECIPIENTS) {
            throw tooMany(recipientInfos.size());
        }
        int recipients = 0;
        for (ASN1Encodable e : recipientInfos) {
            ASN1Encodable info;
            try {
                info = RecipientInfo.getInstance(e).getInfo();
            } catch (RuntimeException x) {
                throw undecryptable("a RecipientInfo is malformed");
            }
            if (info instanceof KeyTransRecipientInfo ktri) {
                Algorithms.checkKeyTransport(ktri.getKeyEncryptionAlgorithm(), policy);
                recipients++;
            } else if (info instanceof KeyAgreeRecipientInfo kari) {
                Algorithms.checkKeyAgreement(kari.getKeyEncryptionAlgorithm(), policy);
                int keys = kari.getRecipientEncryptedKeys().size();
                if (keys == 0) {
                    throw undecryptable("a KeyAgreeRecipientInfo has no RecipientEncryptedKey");
                }
                recipients += keys;
            } else {
                throw undecryptable("the envelope has " + kind(info) + "; the hub accepts only KeyTransRecipientInfo (RSA)"
                        + " and KeyAgreeRecipientInfo (ECDH), because it keeps the sealed message and a sealed message is"
                        + " only as safe as its weakest RecipientInfo: encrypt to certificates only (openssl cms -encrypt"
                        + " -recip)");
            }
            if (recipients > MAX_RECIPIENTS) {
                throw tooMany(recipients);
            }
        }
    }

    private static String kind(ASN1Encodable info) {
        if (info instanceof KEKRecipientInfo) {
            return "a KEKRecipientInfo (a key agreed in advance)";
        }
        if (info instanceof PasswordRecipientInfo) {
            return "a PasswordRecipientInfo";
        }
        if (info instanceof OtherRecipientInfo) {
            return "an OtherRecipientInfo (such as a KEMRecipientInfo)";
        }
        return "a RecipientInfo of a kind the hub does not know";
    }

    private static CryptoException tooMany(int n) {
        return undecryptable("the envelope names more than " + MAX_RECIPIENTS + " recipients; address at most "
                + MAX_RECIPIENTS + ", the hub's certificate among them");
    }

    private static CryptoException undecryptable(String detail) {
        return new CryptoException(CryptoFailure.UNDECRYPTABLE, detail);
    }

    /** Fails once more than {@link #MAX_HEADER_BYTES} have been read. */
    private static final class HeaderTooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static final class Counting extends FilterInputStream {
        private long count;
        boolean exceeded;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && ++count > MAX_HEADER_BYTES) {
                exceeded = true;
                throw new HeaderTooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, (int) Math.min(len, MAX_HEADER_BYTES + 1L - count));
            if (n > 0) {
                count += n;
                if (count > MAX_HEADER_BYTES) {
                    exceeded = true;
                    throw new HeaderTooLarge();
                }
            }
            return n;
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }
}
