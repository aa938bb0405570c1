package org.safeguarding.hub.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSignerInfoVerifierBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;

/**
 * Verifies a DER ContentInfo(SignedData) with encapsulated content and exactly one signer. Checks the signature only;
 * whether the signer is trusted is {@link TrustValidator}'s job.
 */
public final class SignatureVerifier {
    private final AlgorithmPolicy policy;

    public SignatureVerifier(AlgorithmPolicy p) {
        Providers.ensure();
        this.policy = Objects.requireNonNull(p, "policy");
    }

    public OpenedMessage verify(byte[] signedDataContentInfoDer) throws CryptoException {
        try {
            return verifyChecked(signedDataContentInfoDer);
        } catch (CryptoException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new CryptoException(CryptoFailure.BAD_SIGNATURE, "malformed SignedData");
        }
    }

    private OpenedMessage verifyChecked(byte[] der) throws CryptoException {
        ContentInfo ci;
        try {
            ci = Asn1Guard.contentInfo(der);
        } catch (Asn1Guard.Refused e) {
            throw bad(refused(e.getMessage()));
        } catch (IOException e) {
            throw bad("inner content is not CMS");
        }
        if (!CMSObjectIdentifiers.signedData.equals(ci.getContentType())) {
            throw bad("inner content is not SignedData");
        }
        SignedData sd;
        try {
            sd = SignedData.getInstance(ci.getContent());
        } catch (RuntimeException e) {
            throw bad("malformed SignedData");
        }
        if (sd.getEncapContentInfo().getContent() == null) {
            throw bad("SignedData has detached content");
        }
        byte[] content;
        try {
            content = ASN1OctetString.getInstance(sd.getEncapContentInfo().getContent()).getOctets();
        } catch (RuntimeException e) {
            throw bad("encapsulated content is not an OCTET STRING");
        }
        CMSSignedData signed;
        try {
            signed = new CMSSignedData(ci);
        } catch (Exception e) {
            throw bad("malformed SignedData");
        }
        SignerCheck check = checkSigner(signed.getSignerInfos(), signed.getCertificates());
        return new OpenedMessage(content, check.signer(), check.certificates(), Certificates.sha256Hex(content));
    }

    /**
     * Streaming: reads a ContentInfo(SignedData) from {@code signedData}, writes the encapsulated content to
     * {@code content} as it goes, then checks the signature. The content written is NOT verified until this returns:
     * on any exception the caller must discard it.
     *
     * @throws CryptoException {@link CryptoFailure#BAD_SIGNATURE}, {@link CryptoFailure#WEAK_SIGNATURE} or
     *                         {@link CryptoFailure#WEAK_SIGNER_KEY}
     * @throws IOException     only when writing to {@code content} fails
     */
    public StreamedMessage verify(InputStream signedData, OutputStream content) throws CryptoException, IOException {
        Objects.requireNonNull(signedData, "signedData");
        Objects.requireNonNull(content, "content");
        Asn1StreamGuard guard = new Asn1StreamGuard(signedData);
        StreamFailures.Output out = new StreamFailures.Output(content);
        try {
            return verifyStream(guard, out);
        } catch (CryptoException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            if (out.failed()) {
                throw e instanceof IOException io ? io : new IOException("cannot write the content", e);
            }
            throw bad(guard.failed() ? refused(guard.refusal()) : "malformed SignedData");
        } catch (CMSException e) {
            throw bad("malformed SignedData");
        }
    }

    /** Used by {@link EnvelopeOpener} on a decrypted stream: the caller classifies exceptions. */
    StreamedMessage verifyStream(Asn1StreamGuard guard, StreamFailures.Output out) throws CryptoException, IOException, CMSException {
        return readStream(guard, out, true);
    }

    /**
     * Used by {@link EnvelopeOpener#reopen}: the content of a SignedData whose signer was checked before, by the hub
     * itself; the signature is not checked again, and the result names no signer.
     */
    StreamedMessage contentStream(Asn1StreamGuard guard, StreamFailures.Output out) throws CryptoException, IOException, CMSException {
        return readStream(guard, out, false);
    }

    private StreamedMessage readStream(Asn1StreamGuard guard, StreamFailures.Output out, boolean checkSignature)
            throws CryptoException, IOException, CMSException {
        // buffered after the guard, as the envelope is: the guard judges each 64 KiB before Bouncy Castle parses any of
        // it, so that a hostile encoding is named as such rather than as whatever Bouncy Castle trips over first
        TypedSignedDataParser parser = new TypedSignedDataParser(digests(), new ASN1InputStream(
                new java.io.BufferedInputStream(guard, 64 * 1024), Integer.MAX_VALUE));
        if (!CMSObjectIdentifiers.signedData.equals(parser.contentType())) {
            throw bad("inner content is not SignedData");
        }
        CMSTypedStream signedContent = parser.getSignedContent();
        if (signedContent == null) {
            throw bad("SignedData has detached content");
        }
        MessageDigest sha256 = Certificates.sha256();
        long length = 0;
        byte[] buf = new byte[64 * 1024];
        InputStream in = signedContent.getContentStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
            sha256.update(buf, 0, n);
            out.write(buf, 0, n);
            length += n;
        }
        if (!checkSignature) {
            parser.getSignerInfos(); // reads the rest of the structure, which the guard checks
            guard.finish();
            return new StreamedMessage(null, List.of(), Certificates.hex(sha256.digest()), length);
        }
        SignerCheck check = checkSigner(parser.getSignerInfos(), parser.getCertificates());
        guard.finish();
        return new StreamedMessage(check.signer(), check.certificates(), Certificates.hex(sha256.digest()), length);
    }

    private static org.bouncycastle.operator.DigestCalculatorProvider digests() {
        try {
            return new JcaDigestCalculatorProviderBuilder().setProvider(Providers.DIGEST).build();
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("no digest provider", e);
        }
    }

    private record SignerCheck(X509Certificate signer, List<X509Certificate> certificates) {}

    /**
     * Exactly one signer, allowed algorithms ({@link CryptoFailure#WEAK_SIGNATURE} otherwise), its certificate
     * included, the signature verifies ({@link CryptoFailure#BAD_SIGNATURE} otherwise), and only then its key is big
     * enough ({@link CryptoFailure#WEAK_SIGNER_KEY}): the scenario checks the signature before the signer's trust, so
     * a broken signature by a small key is a bad signature, and a good one an untrusted signer.
     */
    private SignerCheck checkSigner(SignerInformationStore signerInfos, Store<X509CertificateHolder> certificates)
            throws CryptoException {
        Collection<SignerInformation> signers = signerInfos.getSigners();
        if (signers.isEmpty()) {
            throw bad("SignedData has no signer");
        }
        if (signers.size() > 1) {
            throw bad("SignedData has more than one signer");
        }
        SignerInformation signer = signers.iterator().next();
        // before any signature work: SHA-1, MD5 and unknown algorithms are never computed
        Algorithms.checkSignature(signer.getDigestAlgorithmID(), signer.toASN1Structure().getDigestEncryptionAlgorithm(), policy);

        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = certificates.getMatches(signer.getSID());
        if (matches.isEmpty()) {
            throw bad("signer certificate is not included");
        }
        X509CertificateHolder signerHolder = matches.iterator().next();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(Providers.CERTIFICATES);
        X509Certificate signerCert;
        List<X509Certificate> all = new ArrayList<>();
        try {
            signerCert = converter.getCertificate(signerHolder);
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> holders = certificates.getMatches(null);
            for (X509CertificateHolder h : holders) {
                all.add(converter.getCertificate(h));
            }
        } catch (Exception e) {
            throw bad("malformed certificate in SignedData");
        }
        PublicKey key = signerCert.getPublicKey();
        boolean ok;
        try {
            // verify with the key only: certificate validity is judged by TrustValidator at receipt time
            SignerInformationVerifier verifier = new JcaSignerInfoVerifierBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Providers.DIGEST).build())
                    .setProvider(Providers.BC).build(key);
            ok = signer.verify(verifier);
        } catch (Exception e) {
            throw bad("signature does not verify");
        }
        if (!ok) {
            throw bad("signature does not verify");
        }
        String weakKey = policy.keyProblem(key);
        if (weakKey != null) {
            throw new CryptoException(CryptoFailure.WEAK_SIGNER_KEY, "the signer's certificate is for " + weakKey
                    + "; sign with a certificate from the partnership CA for " + policy.keysInWords());
        }
        return new SignerCheck(signerCert, all);
    }

    /** Gives access to the ContentInfo's type, which CMSSignedDataParser does not check. */
    private static final class TypedSignedDataParser extends CMSSignedDataParser {
        TypedSignedDataParser(org.bouncycastle.operator.DigestCalculatorProvider digests, InputStream in) throws CMSException {
            super(digests, in);
        }

        org.bouncycastle.asn1.ASN1ObjectIdentifier contentType() {
            return _contentInfo.getContentType();
        }
    }

    /** The detail for a SignedData whose encoding the guard refused. */
    static String refused(String why) {
        if (Asn1Guard.NOT_A_SEQUENCE.equals(why)) {
            return "the content inside the envelope is not signed: " + why + " (sign the submission as CMS SignedData,"
                    + " then encrypt the signed message)";
        }
        return "the SignedData's encoding is refused: " + why;
    }

    private static CryptoException bad(String detail) {
        return new CryptoException(CryptoFailure.BAD_SIGNATURE, detail);
    }
}
