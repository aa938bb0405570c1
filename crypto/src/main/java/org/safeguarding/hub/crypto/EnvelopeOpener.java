package org.safeguarding.hub.crypto;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;

/**
 * Opens sealed messages addressed to one of our identities: AuthEnvelopedData (AES-GCM) or EnvelopedData (AES-CBC),
 * with KeyTransRecipientInfo (RSA) or KeyAgreeRecipientInfo (ECDH), holding a SignedData.
 * Whatever the input, only {@link CryptoException} leaves {@link #decrypt} and {@link #open}.
 */
public final class EnvelopeOpener {
    private final List<Key> keys;
    private final AlgorithmPolicy policy;
    private final SignatureVerifier verifier;

    private record Key(Identity identity, X509CertificateHolder holder) {}

    /** @param recipientIdentities every key we may have been addressed with (several during rollover) */
    public EnvelopeOpener(List<Identity> recipientIdentities, AlgorithmPolicy policy) {
        Providers.ensure();
        this.policy = Objects.requireNonNull(policy, "policy");
        if (recipientIdentities == null || recipientIdentities.isEmpty()) {
            throw new IllegalArgumentException("at least one recipient identity is needed");
        }
        List<Key> list = new ArrayList<>();
        for (Identity id : recipientIdentities) {
            try {
                list.add(new Key(id, new X509CertificateHolder(id.certificate().getEncoded())));
            } catch (CertificateEncodingException | IOException e) {
                throw new IllegalArgumentException("unusable certificate " + id, e);
            }
        }
        this.keys = List.copyOf(list);
        this.verifier = new SignatureVerifier(policy);
    }

    /** Decrypts and returns the inner content (normally a DER SignedData); does not verify it. */
    public byte[] decrypt(byte[] envelopeDer) throws CryptoException {
        try {
            return decryptChecked(envelopeDer);
        } catch (CryptoException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw undecryptable("malformed envelope");
        }
    }

    /** Decrypts, then verifies the SignedData inside. The signer's trust is still to be validated. */
    public OpenedMessage open(byte[] envelopeDer) throws CryptoException {
        return verifier.verify(decrypt(envelopeDer));
    }

    /**
     * Streaming {@link #open(byte[])}: never holds the message in memory. Reads a sealed message (BER or DER) from
     * {@code sealed}, decrypts it and verifies the SignedData inside, writing the signed content to {@code content} as
     * it goes. Same policy and the same failure codes as {@link #open(byte[])}.
     * <p>
     * The content written is neither authenticated (AES-GCM's tag comes at the end) nor verified (the signature comes
     * after the content) until this method returns normally: on any exception the caller must discard what was
     * written. Neither stream is closed.
     *
     * @return the signer, the certificates carried, the SHA-256 and length of the content written
     * @throws CryptoException on anything wrong with the message
     * @throws IOException     only when reading {@code sealed} or writing {@code content} fails
     */
    public StreamedMessage open(InputStream sealed, OutputStream content) throws CryptoException, IOException {
        return open(sealed, content, true);
    }

    /**
     * Decrypts a message that this hub opened and verified before (its own intake queue, written only by the hub), and
     * writes its content without checking the signature again: one ECDH or RSA decryption, no signature or certificate
     * work. The envelope's structure, algorithms and (for AES-GCM) authentication tag are checked as by
     * {@link #open(InputStream, OutputStream)}. The result names no signer.
     */
    public StreamedMessage reopen(InputStream sealed, OutputStream content) throws CryptoException, IOException {
        return open(sealed, content, false);
    }

    private StreamedMessage open(InputStream sealed, OutputStream content, boolean verify)
            throws CryptoException, IOException {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(content, "content");
        Opening o = new Opening(new StreamFailures.Input(sealed), new StreamFailures.Output(content));
        try {
            return openStream(o, verify);
        } catch (CryptoException e) {
            if (e.failure() != CryptoFailure.UNDECRYPTABLE && o.decryptionFailsLater()) {
                throw undecryptable(o.outer.failed() ? refused(o.outer.refusal()) : DECRYPTION_FAILED);
            }
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError | CMSException e) {
            if (o.source.failed() || o.out.failed()) {
                throw e instanceof IOException io ? io : new IOException("cannot read the message or write its content", e);
            }
            if (o.inner == null) {
                throw undecryptable(o.outer.failed() ? refused(o.outer.refusal()) : "malformed enveloped data");
            }
            if (o.inner.sourceFailed() || o.decryptionFailsLater()) {
                throw undecryptable(o.outer.failed() ? refused(o.outer.refusal()) : DECRYPTION_FAILED);
            }
            if (o.verified) {
                throw undecryptable(o.outer.failed() ? refused(o.outer.refusal()) : "malformed envelope");
            }
            // the decrypted bytes decrypt and authenticate but are not a good SignedData
            throw new CryptoException(CryptoFailure.BAD_SIGNATURE, o.inner.failed()
                    ? SignatureVerifier.refused(o.inner.refusal()) : "malformed SignedData");
        }
    }

    /** The state of one streaming open, for telling the failures apart. */
    private static final class Opening {
        final StreamFailures.Input source;
        final StreamFailures.Output out;
        final Asn1StreamGuard outer;
        Asn1StreamGuard inner;
        InputStream decrypted;
        InputStream rest;
        boolean verified;

        Opening(StreamFailures.Input source, StreamFailures.Output out) {
            this.source = source;
            this.out = out;
            this.outer = new Asn1StreamGuard(source);
        }

        /**
         * After the SignedData was refused: reads the rest of the decrypted content and of the envelope, so that a
         * message whose ciphertext was tampered with (AES-GCM's tag, AES-CBC's padding, both checked at the end) or
         * whose envelope is malformed further on is reported as undecryptable, as {@link EnvelopeOpener#open(byte[])}
         * does: it checks the whole envelope before it looks inside.
         */
        boolean decryptionFailsLater() throws IOException {
            if (decrypted == null || verified) {
                return false;
            }
            byte[] buf = new byte[64 * 1024];
            try {
                while (decrypted.read(buf) >= 0) {
                    // discard
                }
                while (rest.read(buf) >= 0) {
                    // discard; the guard checks the structure
                }
                outer.finish();
                return false;
            } catch (IOException | RuntimeException e) {
                if (source.failed()) {
                    throw e instanceof IOException io ? io : new IOException("cannot read the message", e);
                }
                return true;
            }
        }
    }

    private StreamedMessage openStream(Opening o, boolean verify) throws CryptoException, IOException, CMSException {
        BufferedInputStream buffered = new BufferedInputStream(o.outer, 64 * 1024);
        buffered.mark(1024);
        if (buffered.read() < 0) {
            throw undecryptable("empty body");
        }
        buffered.reset();
        buffered.mark(EnvelopeHeader.MAX_HEADER_BYTES + 1);
        EnvelopeHeader header = checkedHeader(EnvelopeHeader.read(buffered));
        buffered.reset();
        boolean authenticated = header.authenticated();
        RecipientInformationStore store;
        InputStream bc = new ASN1InputStream(buffered, Integer.MAX_VALUE);
        o.rest = bc;
        if (authenticated) {
            store = new CMSAuthEnvelopedDataParser(bc).getRecipientInfos();
        } else {
            store = new CMSEnvelopedDataParser(bc).getRecipientInfos();
        }
        CryptoException last = null;
        for (Addressed a : addressedToUs(store)) {
            try {
                InputStream decrypted = a.ri().getContentStream(recipientFor(a.ri(), a.key().identity(), authenticated))
                        .getContentStream();
                if (isRsaPkcs1(a.ri())) {
                    BufferedInputStream peek = new BufferedInputStream(decrypted, 64 * 1024);
                    peek.mark(SIGNED_DATA_HEAD);
                    boolean signedData = startsAsSignedData(peek);
                    peek.reset();
                    if (!signedData) {
                        throw undecryptable(DECRYPTION_FAILED);
                    }
                    decrypted = peek;
                }
                o.decrypted = decrypted;
                break;
            } catch (CryptoException e) {
                last = e;
            } catch (Exception e) {
                last = new CryptoException(CryptoFailure.UNDECRYPTABLE, DECRYPTION_FAILED, e);
            }
        }
        if (o.decrypted == null) {
            throw last;
        }
        o.inner = new Asn1StreamGuard(o.decrypted);
        StreamedMessage m = verify ? verifier.verifyStream(o.inner, o.out) : verifier.contentStream(o.inner, o.out);
        o.verified = true;
        // the rest of the envelope: the AES-GCM tag, attributes, end-of-contents; nothing may follow
        byte[] rest = new byte[8192];
        while (bc.read(rest) >= 0) {
            // the guard checks the structure as it goes
        }
        o.outer.finish();
        return m;
    }

    /**
     * What the head of the message must be, in this order: (Auth)EnvelopedData; its content encryption one the policy
     * accepts, and the one of its type; its RecipientInfos within the rules of {@link EnvelopeHeader}.
     */
    private EnvelopeHeader checkedHeader(EnvelopeHeader header) throws CryptoException {
        if (!header.enveloped()) {
            throw undecryptable(NOT_ENVELOPED);
        }
        requireContentEncryption(header.authenticated(), header.contentEncryption);
        header.checkRecipientInfos(policy);
        return header;
    }

    /** A RecipientInfo for one of the hub's keys. */
    private record Addressed(RecipientInformation ri, Key key) {}

    /**
     * The RecipientInfos addressed to the hub's keys, one per key at most, in the order of the keys: none is
     * {@link #NOT_ADDRESSED}, two for the same certificate are refused (a sender addresses each certificate once, and
     * the hub tries one private-key operation per certificate, never one per RecipientInfo). RecipientInfos for others
     * are not decrypted.
     */
    private List<Addressed> addressedToUs(RecipientInformationStore store) throws CryptoException {
        List<Addressed> out = new ArrayList<>();
        for (Key key : keys) {
            Addressed found = null;
            for (RecipientInformation ri : store.getRecipients()) {
                if (ri.getRID().match(key.holder())) {
                    if (found != null) {
                        throw undecryptable("two RecipientInfos name the same certificate of the hub; address each"
                                + " certificate once");
                    }
                    found = new Addressed(ri, key);
                }
            }
            if (found != null) {
                out.add(found);
            }
        }
        if (out.isEmpty()) {
            throw undecryptable(NOT_ADDRESSED);
        }
        return out;
    }

    private byte[] decryptChecked(byte[] der) throws CryptoException {
        if (der == null || der.length == 0) {
            throw undecryptable("empty body");
        }
        ContentInfo ci;
        try {
            ci = Asn1Guard.contentInfo(der);
        } catch (Asn1Guard.Refused e) {
            throw undecryptable(refused(e.getMessage()));
        } catch (IOException e) {
            throw undecryptable("not a CMS ContentInfo");
        }
        EnvelopeHeader header;
        try {
            header = EnvelopeHeader.read(new ByteArrayInputStream(der));
        } catch (IOException e) {
            throw undecryptable("malformed enveloped data");
        }
        checkedHeader(header);
        boolean authenticated = header.authenticated();
        RecipientInformationStore store;
        try {
            store = authenticated ? new CMSAuthEnvelopedData(ci).getRecipientInfos() : new CMSEnvelopedData(ci).getRecipientInfos();
        } catch (Exception e) {
            throw undecryptable("malformed enveloped data");
        }

        CryptoException last = null;
        for (Addressed a : addressedToUs(store)) {
            try {
                byte[] content = a.ri().getContent(recipientFor(a.ri(), a.key().identity(), authenticated));
                if (isRsaPkcs1(a.ri()) && !startsAsSignedData(new ByteArrayInputStream(content))) {
                    throw undecryptable(DECRYPTION_FAILED);
                }
                return content;
            } catch (CryptoException e) {
                last = e;
            } catch (Exception e) {
                last = new CryptoException(CryptoFailure.UNDECRYPTABLE, DECRYPTION_FAILED, e);
            }
        }
        throw last;
    }

    // GCM content is decrypted by BC: through BC's CMS recipients SunJCE cannot resolve the GCM OID's parameters
    // ("no such algorithm: 2.16.840.1.101.3.4.1.46 for provider SunJCE"). CBC content uses SunJCE (AES-NI).
    private Recipient recipientFor(RecipientInformation ri, Identity id, boolean authenticated) throws CryptoException {
        if (ri instanceof KeyTransRecipientInformation) {
            if (!"RSA".equals(id.privateKey().getAlgorithm())) {
                throw undecryptable("key transport to a non-RSA key");
            }
            Algorithms.checkKeyTransport(ri.getKeyEncryptionAlgorithm(), policy);
            policy.requireKeySize(id.certificate().getPublicKey(), "recipient");
            return authenticated
                    ? new JceKeyTransAuthEnvelopedRecipient(id.privateKey()).setProvider(Providers.BC).setContentProvider(Providers.BC)
                    : new JceKeyTransEnvelopedRecipient(id.privateKey()).setProvider(Providers.BC).setContentProvider(Providers.SYMMETRIC);
        }
        if (ri instanceof KeyAgreeRecipientInformation) {
            Algorithms.checkKeyAgreement(ri.getKeyEncryptionAlgorithm(), policy);
            policy.requireKeySize(id.certificate().getPublicKey(), "recipient");
            return authenticated
                    ? new JceKeyAgreeAuthEnvelopedRecipient(id.privateKey()).setProvider(Providers.BC).setContentProvider(Providers.BC)
                    : new JceKeyAgreeEnvelopedRecipient(id.privateKey()).setProvider(Providers.BC).setContentProvider(Providers.SYMMETRIC);
        }
        throw undecryptable("unsupported recipient info type");
    }

    /** Enough of the decrypted content to see that it starts as a ContentInfo holding SignedData. */
    private static final int SIGNED_DATA_HEAD = 16;
    /** The DER of the OID 1.2.840.113549.1.7.2 (id-signedData), tag and length included. */
    private static final byte[] SIGNED_DATA_OID = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D,
            0x01, 0x07, 0x02};

    private static boolean isRsaPkcs1(RecipientInformation ri) {
        return ri instanceof KeyTransRecipientInformation
                && org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption.getId().equals(ri.getKeyEncryptionAlgOID());
    }

    /**
     * Whether {@code in} starts as a ContentInfo whose content type is SignedData. Asked of the content of an envelope
     * whose key came by RSA PKCS#1 v1.5 key transport, so that the hub is no padding oracle (Bleichenbacher): a forged
     * encrypted key whose padding happens to be valid yields a wrong content key, whose "content" is noise, and that
     * must be refused exactly as a bad padding, a bad tag or a wrong key is ({@link #DECRYPTION_FAILED}), not as a
     * malformed SignedData. Noise passes this check with a probability of about 2^-90.
     */
    private static boolean startsAsSignedData(InputStream in) {
        try {
            byte[] head = in.readNBytes(SIGNED_DATA_HEAD);
            if (head.length < 2 + SIGNED_DATA_OID.length || head[0] != 0x30) {
                return false;
            }
            int len = head[1] & 0xFF;
            int at = len < 0x80 || len == 0x80 ? 2 : len <= 0x84 ? 2 + (len - 0x80) : -1;
            if (at < 0 || at + SIGNED_DATA_OID.length > head.length) {
                return false;
            }
            return java.util.Arrays.equals(head, at, at + SIGNED_DATA_OID.length, SIGNED_DATA_OID, 0, SIGNED_DATA_OID.length);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The policy allows the algorithm, and it fits its envelope: AES-GCM only in AuthEnvelopedData, AES-CBC only in EnvelopedData. */
    private void requireContentEncryption(boolean authenticated, String contentAlg) throws CryptoException {
        if (contentAlg == null || !policy.allowedContentEncryption().contains(contentAlg)) {
            throw new CryptoException(CryptoFailure.WEAK_ALGORITHM, "the content is encrypted with "
                    + (contentAlg == null ? "an algorithm the hub does not know" : contentAlg + ", which the hub does not accept")
                    + "; encrypt with " + policy.contentEncryptionInWords() + " (openssl cms -encrypt -aes-256-gcm)");
        }
        if (authenticated != Algorithms.isGcm(contentAlg) || !authenticated != Algorithms.isCbc(contentAlg)) {
            throw undecryptable(authenticated ? "AuthEnvelopedData must use AES-GCM" : "EnvelopedData must use AES-CBC");
        }
    }

    private static final String NOT_ENVELOPED = "the body is CMS but not AuthEnvelopedData or EnvelopedData: encrypt the"
            + " signed submission to the hub (openssl cms -encrypt)";
    private static final String NOT_ADDRESSED = "the envelope is not addressed to the hub: no RecipientInfo names one of"
            + " its current certificates; encrypt to the hub's current certificate";

    /** One detail for every way decryption itself fails: a wrong key, a bad padding and a bad tag look the same. */
    private static final String DECRYPTION_FAILED = "decryption failed (wrong key or tampered message)";

    /** The detail for an envelope whose encoding the guard refused. */
    private static String refused(String why) {
        if (Asn1Guard.NOT_A_SEQUENCE.equals(why)) {
            return "the body is not a CMS message: " + why + " (send the DER or BER envelope itself, not PEM or base64)";
        }
        return "the envelope's encoding is refused: " + why;
    }

    private static CryptoException undecryptable(String detail) {
        return new CryptoException(CryptoFailure.UNDECRYPTABLE, detail);
    }
}
