package org.safeguarding.hub.crypto;

import java.security.PublicKey;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;

/** OID to policy-name mapping for the algorithms that appear in CMS messages. */
final class Algorithms {
    private Algorithms() {}

    private static final Map<ASN1ObjectIdentifier, String> DIGESTS = Map.of(
            OIWObjectIdentifiers.idSHA1, "SHA-1",
            PKCSObjectIdentifiers.md5, "MD5",
            NISTObjectIdentifiers.id_sha224, "SHA-224",
            NISTObjectIdentifiers.id_sha256, "SHA-256",
            NISTObjectIdentifiers.id_sha384, "SHA-384",
            NISTObjectIdentifiers.id_sha512, "SHA-512");

    private static final Map<ASN1ObjectIdentifier, String> CONTENT = Map.ofEntries(
            Map.entry(CMSAlgorithm.AES128_GCM, "AES-128-GCM"),
            Map.entry(CMSAlgorithm.AES192_GCM, "AES-192-GCM"),
            Map.entry(CMSAlgorithm.AES256_GCM, "AES-256-GCM"),
            Map.entry(CMSAlgorithm.AES128_CBC, "AES-128-CBC"),
            Map.entry(CMSAlgorithm.AES192_CBC, "AES-192-CBC"),
            Map.entry(CMSAlgorithm.AES256_CBC, "AES-256-CBC"),
            Map.entry(CMSAlgorithm.DES_EDE3_CBC, "DES-EDE3-CBC"),
            Map.entry(CMSAlgorithm.DES_CBC, "DES-CBC"),
            Map.entry(CMSAlgorithm.RC2_CBC, "RC2-CBC"));

    private static final Map<ASN1ObjectIdentifier, String> KEY_AGREE = Map.of(
            CMSAlgorithm.ECDH_SHA1KDF, "ECDH-SHA1KDF",
            CMSAlgorithm.ECDH_SHA224KDF, "ECDH-SHA224KDF",
            CMSAlgorithm.ECDH_SHA256KDF, "ECDH-SHA256KDF",
            CMSAlgorithm.ECDH_SHA384KDF, "ECDH-SHA384KDF",
            CMSAlgorithm.ECDH_SHA512KDF, "ECDH-SHA512KDF");

    private static final Map<ASN1ObjectIdentifier, String> WRAPS = Map.of(
            CMSAlgorithm.AES128_WRAP, "AES-128-WRAP",
            CMSAlgorithm.AES192_WRAP, "AES-192-WRAP",
            CMSAlgorithm.AES256_WRAP, "AES-256-WRAP",
            CMSAlgorithm.DES_EDE3_WRAP, "DES-EDE3-WRAP");

    /** Signature OIDs that carry their digest: scheme, digest and the algorithm's usual name (RFC 3279, 4055, 5758). */
    private record Signature(String scheme, String digest, String name) {}

    private static final Map<ASN1ObjectIdentifier, Signature> SIGNATURES = Map.ofEntries(
            Map.entry(PKCSObjectIdentifiers.sha1WithRSAEncryption, new Signature("RSA-PKCS1", "SHA-1", "sha1WithRSAEncryption")),
            Map.entry(PKCSObjectIdentifiers.md5WithRSAEncryption, new Signature("RSA-PKCS1", "MD5", "md5WithRSAEncryption")),
            Map.entry(PKCSObjectIdentifiers.sha224WithRSAEncryption, new Signature("RSA-PKCS1", "SHA-224", "sha224WithRSAEncryption")),
            Map.entry(PKCSObjectIdentifiers.sha256WithRSAEncryption, new Signature("RSA-PKCS1", "SHA-256", "sha256WithRSAEncryption")),
            Map.entry(PKCSObjectIdentifiers.sha384WithRSAEncryption, new Signature("RSA-PKCS1", "SHA-384", "sha384WithRSAEncryption")),
            Map.entry(PKCSObjectIdentifiers.sha512WithRSAEncryption, new Signature("RSA-PKCS1", "SHA-512", "sha512WithRSAEncryption")),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA1, new Signature("ECDSA", "SHA-1", "ecdsa-with-SHA1")),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA224, new Signature("ECDSA", "SHA-224", "ecdsa-with-SHA224")),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA256, new Signature("ECDSA", "SHA-256", "ecdsa-with-SHA256")),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA384, new Signature("ECDSA", "SHA-384", "ecdsa-with-SHA384")),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA512, new Signature("ECDSA", "SHA-512", "ecdsa-with-SHA512")));

    /** The named curves the policy speaks of, by their NIST names. */
    private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "P-256",
            SECObjectIdentifiers.secp384r1, "P-384",
            SECObjectIdentifiers.secp521r1, "P-521");

    static String digest(AlgorithmIdentifier id) {
        return id == null ? null : DIGESTS.get(id.getAlgorithm());
    }

    static String digest(ASN1ObjectIdentifier oid) {
        return DIGESTS.get(oid);
    }

    static String contentEncryption(ASN1ObjectIdentifier oid) {
        return CONTENT.get(oid);
    }

    static String keyAgreement(ASN1ObjectIdentifier oid) {
        return KEY_AGREE.get(oid);
    }

    static String keyWrap(ASN1ObjectIdentifier oid) {
        return WRAPS.get(oid);
    }

    static boolean isGcm(String name) {
        return name != null && name.endsWith("-GCM");
    }

    static boolean isCbc(String name) {
        return name != null && name.endsWith("-CBC");
    }

    /**
     * The named curve of an EC public key: "P-256", "P-384", "P-521", another curve's standard name ("secp256k1",
     * "brainpoolP256r1"), "a curve the hub does not know" for an unknown OID; null for explicit parameters.
     */
    static String curve(PublicKey key) {
        X962Parameters params;
        try {
            params = X962Parameters.getInstance(SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm()
                    .getParameters());
        } catch (RuntimeException e) {
            return null;
        }
        if (params == null || !params.isNamedCurve()) {
            return null;
        }
        ASN1ObjectIdentifier oid = ASN1ObjectIdentifier.getInstance(params.getParameters());
        String nist = CURVES.get(oid);
        if (nist != null) {
            return nist;
        }
        String name = ECNamedCurveTable.getName(oid);
        return name == null ? "a curve the hub does not know" : name;
    }

    /**
     * Checks a KeyTransRecipientInfo's algorithm against the policy: {@link CryptoFailure#WEAK_ALGORITHM} naming it and
     * what to use instead.
     */
    static void checkKeyTransport(AlgorithmIdentifier alg, AlgorithmPolicy policy) throws CryptoException {
        ASN1ObjectIdentifier oid = alg.getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            requireKeyManagement(policy, "RSA-PKCS1", "RSA PKCS#1 v1.5 key transport");
        } else if (PKCSObjectIdentifiers.id_RSAES_OAEP.equals(oid)) {
            requireKeyManagement(policy, "RSA-OAEP", "RSA-OAEP key transport");
            RSAESOAEPparams params;
            AlgorithmIdentifier mgfHash;
            try {
                params = RSAESOAEPparams.getInstance(alg.getParameters());
                mgfHash = AlgorithmIdentifier.getInstance(params.getMaskGenAlgorithm().getParameters());
            } catch (RuntimeException e) {
                throw new CryptoException(CryptoFailure.UNDECRYPTABLE, "a RecipientInfo's RSA-OAEP parameters are malformed");
            }
            requireOaepDigest(policy, digest(params.getHashAlgorithm()), "hash");
            if (!PKCSObjectIdentifiers.id_mgf1.equals(params.getMaskGenAlgorithm().getAlgorithm())) {
                throw new CryptoException(CryptoFailure.WEAK_ALGORITHM, "a RecipientInfo's RSA-OAEP mask generation "
                        + "function is not MGF1; encrypt with RSA-OAEP and MGF1 (openssl cms -encrypt -keyopt rsa_padding_mode:oaep)");
            }
            requireOaepDigest(policy, digest(mgfHash), "MGF1 hash");
        } else {
            throw new CryptoException(CryptoFailure.WEAK_ALGORITHM, "a RecipientInfo uses a key transport algorithm the hub "
                    + "does not accept; encrypt to an RSA certificate with RSA-OAEP");
        }
    }

    /**
     * Checks a KeyAgreeRecipientInfo's algorithm (scheme OID with the key wrap as parameter) against the policy:
     * {@link CryptoFailure#WEAK_ALGORITHM} naming it and what to use instead.
     */
    static void checkKeyAgreement(AlgorithmIdentifier alg, AlgorithmPolicy policy) throws CryptoException {
        String scheme = keyAgreement(alg.getAlgorithm());
        if (scheme == null || !policy.allowedKeyManagement().contains(scheme)) {
            throw new CryptoException(CryptoFailure.WEAK_ALGORITHM, "a RecipientInfo uses "
                    + (scheme == null ? "a key agreement algorithm the hub does not accept" : scheme + " key agreement, which the hub does not accept")
                    + "; encrypt to an EC certificate with " + inWords(policy, KEY_AGREE.values()) + " (dhSinglePass-stdDH, OpenSSL's default)");
        }
        AlgorithmIdentifier wrap;
        try {
            wrap = AlgorithmIdentifier.getInstance(alg.getParameters());
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoFailure.UNDECRYPTABLE, "a RecipientInfo's key agreement parameters are malformed");
        }
        String wrapName = wrap == null ? null : keyWrap(wrap.getAlgorithm());
        if (wrapName == null || !policy.allowedKeyManagement().contains(wrapName)) {
            throw new CryptoException(CryptoFailure.WEAK_ALGORITHM, "a RecipientInfo wraps its key with "
                    + (wrapName == null ? "an algorithm the hub does not accept" : wrapName + ", which the hub does not accept")
                    + "; wrap with " + inWords(policy, WRAPS.values()));
        }
    }

    private static void requireKeyManagement(AlgorithmPolicy policy, String name, String words) throws CryptoException {
        if ("RSA-PKCS1".equals(name) && !policy.allowedKeyManagement().contains(name)) {
            throw new CryptoException(CryptoFailure.WEAK_ALGORITHM, "a RecipientInfo uses RSA PKCS#1 v1.5 key transport,"
                    + " which the hub accepts only where the partnership allows it for that participant"
                    + " (allowRsaPkcs1v15); encrypt with RSA-OAEP (openssl cms -encrypt -keyopt rsa_padding_mode:oaep"
                    + " -keyopt rsa_oaep_md:sha256) or to an EC certificate");
        }
        if (!policy.allowedKeyManagement().contains(name)) {
            throw new CryptoException(CryptoFailure.WEAK_ALGORITHM, "a RecipientInfo uses " + words + ", which the hub does "
                    + "not accept; encrypt to an RSA certificate with " + (name.equals("RSA-OAEP") ? "RSA PKCS#1 v1.5" : "RSA-OAEP"));
        }
    }

    private static void requireOaepDigest(AlgorithmPolicy policy, String digest, String what) throws CryptoException {
        if (digest == null || !policy.allowedOaepDigests().contains(digest)) {
            throw new CryptoException(CryptoFailure.WEAK_ALGORITHM, "a RecipientInfo's RSA-OAEP " + what + " is "
                    + (digest == null ? "one the hub does not know" : digest + ", which the hub does not accept")
                    + "; use RSA-OAEP with SHA-256 (openssl cms -encrypt -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256)");
        }
    }

    /** The allowed names among {@code names}, sorted, as a person reads them. */
    private static String inWords(AlgorithmPolicy policy, java.util.Collection<String> names) {
        java.util.List<String> allowed = names.stream().filter(policy.allowedKeyManagement()::contains).sorted().toList();
        if (allowed.isEmpty()) {
            return "(none)";
        }
        return allowed.size() == 1 ? allowed.get(0)
                : String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or " + allowed.get(allowed.size() - 1);
    }

    /**
     * Checks a partner's SignerInfo digest and signature algorithms against the policy: {@link CryptoFailure#WEAK_SIGNATURE}
     * when it refuses one, with a detail naming the algorithm and what to sign with instead. Only names from the tables
     * above reach the detail, never an OID taken from the message.
     */
    static void checkSignature(AlgorithmIdentifier digestAlg, AlgorithmIdentifier sigAlg, AlgorithmPolicy policy) throws CryptoException {
        String digest = digest(digestAlg);
        ASN1ObjectIdentifier oid = sigAlg.getAlgorithm();
        Signature known = SIGNATURES.get(oid);
        String scheme;
        String name;
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            scheme = "RSA-PKCS1";
            name = digest == null ? "rsaEncryption" : digest.toLowerCase(java.util.Locale.ROOT).replace("-", "") + "WithRSAEncryption";
        } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            scheme = "ECDSA";
            name = digest == null ? "ECDSA" : "ecdsa-with-" + digest.replace("-", "");
        } else if (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(oid)) {
            scheme = "RSA-PSS";
            name = "RSASSA-PSS";
        } else if (known != null) {
            scheme = known.scheme();
            name = known.name();
        } else {
            throw weakSignature("the signature algorithm is not one the hub accepts", policy);
        }
        if (!policy.allowsSignature(scheme)) {
            throw weakSignature("the signature scheme " + name + " is not one the hub accepts", policy);
        }
        if (digest == null) {
            throw weakDigest("the signature's digest algorithm is not one the hub accepts", policy);
        }
        if (!policy.allowsDigest(digest)) {
            throw weakDigest("the signature uses " + digest + " (" + name + ")", policy);
        }
        if (known != null && !policy.allowsDigest(known.digest())) {
            throw weakDigest("the signature uses " + known.digest() + " (" + name + ")", policy);
        }
        if ("RSA-PSS".equals(scheme)) {
            RSASSAPSSparams params;
            try {
                params = RSASSAPSSparams.getInstance(sigAlg.getParameters());
            } catch (RuntimeException e) {
                throw new CryptoException(CryptoFailure.BAD_SIGNATURE, "the RSASSA-PSS parameters are malformed");
            }
            String hash = digest(params.getHashAlgorithm());
            if (!policy.allowsDigest(hash)) {
                throw weakDigest("the signature uses " + (hash == null ? "a hash the hub does not know" : hash)
                        + " (RSASSA-PSS)", policy);
            }
            AlgorithmIdentifier mgf = params.getMaskGenAlgorithm();
            if (!PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())) {
                throw weakSignature("the RSASSA-PSS mask generation function is not MGF1", policy);
            }
            String mgfHash;
            try {
                mgfHash = digest(AlgorithmIdentifier.getInstance(mgf.getParameters()));
            } catch (RuntimeException e) {
                throw new CryptoException(CryptoFailure.BAD_SIGNATURE, "the RSASSA-PSS parameters are malformed");
            }
            if (!policy.allowsDigest(mgfHash)) {
                throw weakDigest("the signature's RSASSA-PSS mask uses " + (mgfHash == null ? "a hash the hub does not know"
                        : mgfHash) + " (MGF1)", policy);
            }
        }
    }

    /** A refused digest: what to sign with instead. */
    private static CryptoException weakDigest(String what, AlgorithmPolicy policy) {
        return new CryptoException(CryptoFailure.WEAK_SIGNATURE, what + "; sign with " + policy.digestsInWords()
                + " (openssl cms -sign -md sha256)");
    }

    /** A refused or unknown signature scheme: what to sign with instead. */
    private static CryptoException weakSignature(String what, AlgorithmPolicy policy) {
        return new CryptoException(CryptoFailure.WEAK_SIGNATURE, what + "; sign with RSA (PKCS#1 v1.5 or PSS) or ECDSA, and "
                + policy.digestsInWords() + " (openssl cms -sign -md sha256)");
    }
}
