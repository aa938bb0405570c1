package org.safeguarding.hub.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A certificate authority key and certificate that issues certificates and CRLs (demo and test use). */
final class CertAuthority {
    private static final SecureRandom RANDOM = new SecureRandom();

    final PrivateKey key;
    final X509Certificate certificate;

    CertAuthority(PrivateKey key, X509Certificate certificate) {
        Providers.ensure();
        this.key = key;
        this.certificate = certificate;
    }

    /**
     * HUB: TLS server and client, signing and encryption; PARTICIPANT: a partner system's TLS client, signing and
     * encryption; PERSON: a person's TLS client authentication only (never signing CMS, never a key to seal to); CA.
     */
    enum Profile { HUB, PARTICIPANT, PERSON, CA }

    static KeyPair generateKeyPair(KeyAlgorithm alg) {
        return generateKeyPair(alg == KeyAlgorithm.EC_P256 ? "EC" : "RSA", switch (alg) {
            case EC_P256 -> 256;
            case RSA_2048 -> 2048;
            case RSA_3072 -> 3072;
        });
    }

    static KeyPair generateKeyPair(String algorithm, int bits) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance(algorithm, Providers.bc());
            if ("EC".equals(algorithm)) {
                kpg.initialize(new ECGenParameterSpec(bits == 384 ? "secp384r1" : "secp256r1"), RANDOM);
            } else {
                kpg.initialize(bits, RANDOM);
            }
            return kpg.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + algorithm + " key", e);
        }
    }

    static X500Name name(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, ORGANISATION)
                .addRDN(BCStyle.CN, cn)
                .build();
    }

    private static final String ORGANISATION = "Safeguarding Partnership (demo)";

    /** A person's name: the participant they act for as the OU, the person as the CN. */
    static X500Name personName(String participantId, String person) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, ORGANISATION)
                .addRDN(BCStyle.OU, participantId)
                .addRDN(BCStyle.CN, person)
                .build();
    }

    /** A self-signed root CA. */
    static CertAuthority selfSigned(String cn, KeyPair kp, Instant notBefore, Instant notAfter) {
        try {
            X500Name subject = name(cn);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(notBefore), Date.from(notAfter),
                    subject, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter().setProvider(Providers.CERTIFICATES).getCertificate(b.build(signer(kp.getPrivate())));
            return new CertAuthority(kp.getPrivate(), cert);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create CA", e);
        }
    }

    /** A certificate for {@code publicKey} issued by this CA. */
    X509Certificate issue(String cn, PublicKey publicKey, Profile profile, Instant notBefore, Instant notAfter) {
        return issue(cn, publicKey, profile, notBefore, notAfter, -1);
    }

    /** As {@link #issue(String, PublicKey, Profile, Instant, Instant)} with explicit key usage bits (-1: the profile's). */
    X509Certificate issue(String cn, PublicKey publicKey, Profile profile, Instant notBefore, Instant notAfter, int keyUsage) {
        return issue(name(cn), publicKey, profile, notBefore, notAfter, keyUsage);
    }

    /** A person's TLS client certificate (key usage digitalSignature, extended key usage clientAuth only). */
    X509Certificate issuePerson(String participantId, String person, PublicKey publicKey, Instant notBefore,
            Instant notAfter) {
        return issue(personName(participantId, person), publicKey, Profile.PERSON, notBefore, notAfter, -1);
    }

    private X509Certificate issue(X500Name subject, PublicKey publicKey, Profile profile, Instant notBefore,
            Instant notAfter, int keyUsage) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(notBefore), Date.from(notAfter),
                    subject, publicKey)
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            if (profile == Profile.CA) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            } else if (profile == Profile.PERSON) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}));
            } else {
                int usage = keyUsage >= 0 ? keyUsage
                        : KeyUsage.digitalSignature | ("RSA".equals(publicKey.getAlgorithm()) ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement);
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                if (profile == Profile.HUB) {
                    b.addExtension(Extension.extendedKeyUsage, false,
                                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth,
                                            KeyPurposeId.id_kp_emailProtection}))
                            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                                    new GeneralName(GeneralName.dNSName, "localhost"),
                                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
                } else {
                    b.addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_emailProtection}));
                }
            }
            return new JcaX509CertificateConverter().setProvider(Providers.CERTIFICATES).getCertificate(b.build(signer(key)));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue certificate", e);
        }
    }

    /** A CRL that lists the entries of {@code previous} (may be null) plus {@code revoke} (may be null), revoked at {@code now}. */
    X509CRL crl(X509CRL previous, X509Certificate revoke, Instant now) {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                    Date.from(now.minusSeconds(60)));
            b.setNextUpdate(Date.from(now.plus(java.time.Duration.ofDays(365))));
            BigInteger number = BigInteger.ONE;
            if (previous != null) {
                X509CRLHolder prev = new X509CRLHolder(previous.getEncoded());
                b.addCRL(prev);
                byte[] n = previous.getExtensionValue(Extension.cRLNumber.getId());
                if (n != null) {
                    number = CRLNumber.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(n).getOctets()).getCRLNumber().add(BigInteger.ONE);
                }
            }
            if (revoke != null) {
                b.addCRLEntry(revoke.getSerialNumber(), Date.from(now), CRLReason.unspecified);
            }
            b.addExtension(Extension.cRLNumber, false, new ASN1Integer(number));
            b.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
            return new JcaX509CRLConverter().setProvider(Providers.CERTIFICATES).getCRL(b.build(signer(key)));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create CRL", e);
        }
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            String alg = "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaContentSignerBuilder(alg).setProvider(Providers.BC).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    static BigInteger serial() {
        return new BigInteger(96, RANDOM).setBit(94);
    }

    List<X509Certificate> chainFor(X509Certificate leaf) {
        List<X509Certificate> l = new ArrayList<>();
        l.add(leaf);
        l.add(certificate);
        return l;
    }
}
