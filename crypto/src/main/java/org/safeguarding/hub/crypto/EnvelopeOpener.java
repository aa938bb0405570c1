package org.safeguarding.hub.crypto;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
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

    private byte[] decryptChecked(byte[] der) throws CryptoException {
        if (der == null || der.length == 0) {
            throw undecryptable("empty body");
        }
        ContentInfo ci;
        try {
            ci = Asn1Guard.contentInfo(der);
        } catch (IOException e) {
            throw undecryptable("not a CMS ContentInfo");
        }
        ASN1ObjectIdentifier type = ci.getContentType();
        boolean authenticated;
        RecipientInformationStore store;
        String contentAlg;
        try {
            if (CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
                CMSAuthEnvelopedData env = new CMSAuthEnvelopedData(ci);
                authenticated = true;
                store = env.getRecipientInfos();
                contentAlg = Algorithms.contentEncryption(new ASN1ObjectIdentifier(env.getEncryptionAlgOID()));
            } else if (CMSObjectIdentifiers.envelopedData.equals(type)) {
                CMSEnvelopedData env = new CMSEnvelopedData(ci);
                authenticated = false;
                store = env.getRecipientInfos();
                contentAlg = Algorithms.contentEncryption(new ASN1ObjectIdentifier(env.getEncryptionAlgOID()));
            } else {
                throw undecryptable("not AuthEnvelopedData or EnvelopedData");
            }
        } catch (CryptoException e) {
            throw e;
        } catch (Exception e) {
            throw undecryptable("malformed enveloped data");
        }
        policy.requireContentEncryption(contentAlg);
        if (authenticated != Algorithms.isGcm(contentAlg) || !authenticated != Algorithms.isCbc(contentAlg)) {
            throw undecryptable(authenticated ? "AuthEnvelopedData must use AES-GCM" : "EnvelopedData must use AES-CBC");
        }

        CryptoException last = null;
        boolean addressed = false;
        for (RecipientInformation ri : store.getRecipients()) {
            for (Key key : keys) {
                if (!ri.getRID().match(key.holder())) {
                    continue;
                }
                addressed = true;
                try {
                    Recipient recipient = recipientFor(ri, key.identity(), authenticated);
                    return ri.getContent(recipient);
                } catch (CryptoException e) {
                    last = e;
                } catch (Exception e) {
                    last = new CryptoException(CryptoFailure.UNDECRYPTABLE, "decryption failed (wrong key or tampered message)", e);
                }
            }
        }
        if (!addressed) {
            throw undecryptable("not addressed to any of our certificates");
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

    private static CryptoException undecryptable(String detail) {
        return new CryptoException(CryptoFailure.UNDECRYPTABLE, detail);
    }
}
