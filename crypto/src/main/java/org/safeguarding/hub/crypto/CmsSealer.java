package org.safeguarding.hub.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSSignedDataStreamGenerator;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** Signs (SignedData) and encrypts (AuthEnvelopedData / EnvelopedData) as DER ContentInfo. */
public final class CmsSealer {
    private final AlgorithmPolicy policy;
    private final SealerOptions options;

    public CmsSealer(AlgorithmPolicy policy) {
        this(policy, SealerOptions.defaults());
    }

    public CmsSealer(AlgorithmPolicy policy, SealerOptions options) {
        Providers.ensure();
        this.policy = Objects.requireNonNull(policy, "policy");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The policy this sealer checks signers, recipients and encryption against. */
    public AlgorithmPolicy policy() {
        return policy;
    }

    /** The choices this sealer makes. */
    public SealerOptions options() {
        return options;
    }

    /** ContentInfo(SignedData): encapsulated content, SHA-256, signer certificate (and its non-root chain) included. */
    public byte[] sign(byte[] content, Identity signer) throws CryptoException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(signer, "signer");
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(signerInfo(signer));
            gen.addCertificates(new JcaCertStore(certificates(signer)));
            return gen.generate(new CMSProcessableByteArray(content), true).toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException | GeneralSecurityException | IOException e) {
            throw new CryptoException(CryptoFailure.BAD_SIGNATURE, "cannot sign", e);
        }
    }

    /** ContentInfo(AuthEnvelopedData) for GCM, ContentInfo(EnvelopedData) for CBC; one RecipientInfo per certificate. */
    public byte[] encrypt(byte[] content, List<X509Certificate> recipients, ContentEncryption enc) throws CryptoException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(enc, "enc");
        if (recipients == null || recipients.isEmpty()) {
            throw new IllegalArgumentException("at least one recipient certificate is needed");
        }
        policy.requireContentEncryption(enc.policyName());
        try {
            List<RecipientInfoGenerator> infos = new ArrayList<>();
            for (X509Certificate cert : recipients) {
                infos.add(recipientInfo(cert));
            }
            if (enc == ContentEncryption.AES_256_GCM) {
                OutputAEADEncryptor encryptor = (OutputAEADEncryptor) contentEncryptor(enc);
                CMSAuthEnvelopedDataGenerator gen = new CMSAuthEnvelopedDataGenerator();
                infos.forEach(gen::addRecipientInfoGenerator);
                return gen.generate(new CMSProcessableByteArray(content), encryptor).toASN1Structure().getEncoded(ASN1Encoding.DER);
            }
            OutputEncryptor encryptor = contentEncryptor(enc);
            CMSEnvelopedDataGenerator gen = new CMSEnvelopedDataGenerator();
            infos.forEach(gen::addRecipientInfoGenerator);
            return gen.generate(new CMSProcessableByteArray(content), encryptor).toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (CMSException | GeneralSecurityException | IOException e) {
            throw new CryptoException(CryptoFailure.UNDECRYPTABLE, "cannot encrypt", e);
        }
    }

    /** Sign, then encrypt the SignedData. */
    public byte[] seal(byte[] content, Identity signer, List<X509Certificate> recipients, ContentEncryption enc) throws CryptoException {
        return encrypt(sign(content, signer), recipients, enc);
    }

    /**
     * Streaming {@link #seal(byte[], Identity, List, ContentEncryption)}: never holds the content in memory. Reads the
     * content to its end and writes ContentInfo(AuthEnvelopedData or EnvelopedData) holding ContentInfo(SignedData),
     * both BER with indefinite lengths (OpenSSL and Bouncy Castle read them; {@link EnvelopeOpener} opens them either
     * way). Same policy checks and choices as the byte-array methods, all made before anything is written. Neither
     * stream is closed.
     *
     * @throws CryptoException when the policy refuses the signer, a recipient or the encryption
     * @throws IOException     when reading {@code content} or writing {@code out} fails (what was written is then
     *                         incomplete and must be discarded)
     */
    public void seal(InputStream content, OutputStream out, Identity signer, List<X509Certificate> recipients,
                     ContentEncryption enc) throws CryptoException, IOException {
        Objects.requireNonNull(content, "content");
        try (OutputStream sealing = sealing(out, signer, recipients, enc)) {
            content.transferTo(sealing);
        }
    }

    /**
     * Streaming {@link #seal(byte[], Identity, List, ContentEncryption)} for a writer: the content written to the stream
     * returned is signed and encrypted into {@code out} as it comes (the same BER as
     * {@link #seal(InputStream, OutputStream, Identity, List, ContentEncryption)}), and the message is complete once
     * that stream is closed; {@code out} itself is not closed. The policy checks are all made before this returns.
     *
     * @throws CryptoException when the policy refuses the signer, a recipient or the encryption
     * @throws IOException     when writing {@code out} fails (what was written is then incomplete and must be discarded)
     */
    public OutputStream sealing(OutputStream out, Identity signer, List<X509Certificate> recipients,
                                ContentEncryption enc) throws CryptoException, IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(enc, "enc");
        if (recipients == null || recipients.isEmpty()) {
            throw new IllegalArgumentException("at least one recipient certificate is needed");
        }
        CMSSignedDataStreamGenerator signed = new CMSSignedDataStreamGenerator();
        OutputStream envelope;
        try {
            signed.addSignerInfoGenerator(signerInfo(signer));
            signed.addCertificates(new JcaCertStore(certificates(signer)));
            signed.setBufferSize(STREAM_CHUNK);
            policy.requireContentEncryption(enc.policyName());
            List<RecipientInfoGenerator> infos = new ArrayList<>();
            for (X509Certificate cert : recipients) {
                infos.add(recipientInfo(cert));
            }
            if (enc == ContentEncryption.AES_256_GCM) {
                CMSAuthEnvelopedDataStreamGenerator gen = new CMSAuthEnvelopedDataStreamGenerator();
                infos.forEach(gen::addRecipientInfoGenerator);
                gen.setBufferSize(STREAM_CHUNK);
                envelope = gen.open(out, (OutputAEADEncryptor) contentEncryptor(enc));
            } else {
                CMSEnvelopedDataStreamGenerator gen = new CMSEnvelopedDataStreamGenerator();
                infos.forEach(gen::addRecipientInfoGenerator);
                gen.setBufferSize(STREAM_CHUNK);
                envelope = gen.open(out, contentEncryptor(enc));
            }
        } catch (OperatorCreationException | CMSException | GeneralSecurityException e) {
            throw new CryptoException(CryptoFailure.UNDECRYPTABLE, "cannot seal", e);
        }
        OutputStream signing = signed.open(envelope, true);
        return new java.io.FilterOutputStream(signing) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                signing.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    signing.close();
                    envelope.close();
                }
            }
        };
    }

    /**
     * The policy checks of {@link #sealing} without sealing anything (no key generation, agreement or signature): whether
     * {@code signer} may seal to {@code recipients} with {@code enc}.
     *
     * @throws CryptoException when the policy refuses the signer, a recipient or the encryption
     */
    public void requireSealable(Identity signer, List<X509Certificate> recipients, ContentEncryption enc)
            throws CryptoException {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(enc, "enc");
        if (recipients == null || recipients.isEmpty()) {
            throw new IllegalArgumentException("at least one recipient certificate is needed");
        }
        signatureAlgorithm(signer);
        policy.requireContentEncryption(enc.policyName());
        for (X509Certificate cert : recipients) {
            recipientScheme(cert);
        }
    }

    /** BER chunk size of the streamed OCTET STRINGs, and the copy buffer. */
    private static final int STREAM_CHUNK = 64 * 1024;

    /** The signature algorithm for the signer's key, once the policy allows it. */
    private String signatureAlgorithm(Identity signer) throws CryptoException {
        PublicKey pub = signer.certificate().getPublicKey();
        policy.requireKeySize(pub, "signer");
        policy.requireDigest("SHA-256", "signature");
        if ("RSA".equals(pub.getAlgorithm())) {
            boolean pss = options.rsaSignature() == SealerOptions.RsaSignature.PSS_SHA256;
            policy.requireSignature(pss ? "RSA-PSS" : "RSA-PKCS1");
            return pss ? "SHA256withRSAandMGF1" : "SHA256withRSA";
        }
        policy.requireSignature("ECDSA");
        return "SHA256withECDSA";
    }

    private SignerInfoGenerator signerInfo(Identity signer) throws CryptoException, OperatorCreationException {
        String alg = signatureAlgorithm(signer);
        ContentSigner contentSigner = new JcaContentSignerBuilder(alg).setProvider(Providers.BC).build(signer.privateKey());
        try {
            return new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().setProvider(Providers.DIGEST).build())
                    .build(contentSigner, signer.certificate());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new OperatorCreationException("cannot encode the signer certificate", e);
        }
    }

    /** The signer's certificate and its chain without the root. */
    private static List<X509Certificate> certificates(Identity signer) {
        List<X509Certificate> certs = new ArrayList<>();
        certs.add(signer.certificate());
        for (X509Certificate c : signer.chain()) {
            if (!c.equals(signer.certificate()) && !Certificates.isSelfSigned(c)) {
                certs.add(c);
            }
        }
        return certs;
    }

    private static OutputEncryptor contentEncryptor(ContentEncryption enc) throws CMSException {
        return new JceCMSContentEncryptorBuilder(enc == ContentEncryption.AES_256_GCM ? CMSAlgorithm.AES256_GCM : CMSAlgorithm.AES256_CBC)
                .setProvider(Providers.SYMMETRIC).build();
    }

    /** How a recipient's key is reached, once the policy allows it: null for RSA key transport, else the ECDH scheme. */
    private ASN1ObjectIdentifier recipientScheme(X509Certificate cert) throws CryptoException {
        PublicKey pub = cert.getPublicKey();
        if (!Certificates.allowsSealingTo(cert)) {
            throw new CryptoException(CryptoFailure.RECIPIENT_KEY_USAGE, "the recipient certificate "
                    + cert.getSubjectX500Principal().getName() + " does not allow "
                    + ("RSA".equals(pub.getAlgorithm()) ? "key encipherment" : "key agreement")
                    + " (its key usage): nothing is sealed to it");
        }
        policy.requireKeySize(pub, "recipient");
        if ("RSA".equals(pub.getAlgorithm())) {
            if (options.rsaKeyTransport() == SealerOptions.RsaKeyTransport.PKCS1_V15) {
                policy.requireKeyManagement("RSA-PKCS1");
            } else {
                policy.requireKeyManagement("RSA-OAEP");
                policy.requireOaepDigest("SHA-256");
            }
            return null;
        }
        if (pub instanceof ECPublicKey) {
            ASN1ObjectIdentifier scheme = options.ecdhKdf() == SealerOptions.EcdhKdf.SHA1 ? CMSAlgorithm.ECDH_SHA1KDF : CMSAlgorithm.ECDH_SHA256KDF;
            policy.requireKeyManagement(Algorithms.keyAgreement(scheme));
            policy.requireKeyManagement("AES-256-WRAP");
            return scheme;
        }
        throw new CryptoException(CryptoFailure.WEAK_ALGORITHM, "recipient key algorithm " + pub.getAlgorithm() + " is not supported");
    }

    private RecipientInfoGenerator recipientInfo(X509Certificate cert) throws CryptoException, GeneralSecurityException {
        ASN1ObjectIdentifier scheme = recipientScheme(cert);
        if (scheme == null) {
            if (options.rsaKeyTransport() == SealerOptions.RsaKeyTransport.PKCS1_V15) {
                return new JceKeyTransRecipientInfoGenerator(cert).setProvider(Providers.BC);
            }
            AlgorithmIdentifier oaep = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
                    PKCSObjectIdentifiers.id_RSAES_OAEP,
                    new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
            return new JceKeyTransRecipientInfoGenerator(cert, oaep).setProvider(Providers.BC);
        }
        ECPublicKey ec = (ECPublicKey) cert.getPublicKey();
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", Providers.bc());
        kpg.initialize(ec.getParams());
        KeyPair ephemeral = kpg.generateKeyPair();
        return new JceKeyAgreeRecipientInfoGenerator(scheme, ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                .addRecipient(cert)
                .setProvider(Providers.BC);
    }
}
