package org.safeguarding.hub.crypto;

import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSignerInfoVerifierBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

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
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            throw bad("SignedData has no signer");
        }
        if (signers.size() > 1) {
            throw bad("SignedData has more than one signer");
        }
        SignerInformation signer = signers.iterator().next();
        Algorithms.checkSignature(signer.getDigestAlgorithmID(), signer.toASN1Structure().getDigestEncryptionAlgorithm(), policy);

        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = signed.getCertificates().getMatches(signer.getSID());
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
            Collection<X509CertificateHolder> holders = signed.getCertificates().getMatches(null);
            for (X509CertificateHolder h : holders) {
                all.add(converter.getCertificate(h));
            }
        } catch (Exception e) {
            throw bad("malformed certificate in SignedData");
        }
        PublicKey key = signerCert.getPublicKey();
        policy.requireKeySize(key, "signer");
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
        return new OpenedMessage(content, signerCert, all, Certificates.sha256Hex(content));
    }

    private static CryptoException bad(String detail) {
        return new CryptoException(CryptoFailure.BAD_SIGNATURE, detail);
    }
}
