package org.safeguarding.hub.crypto;

import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
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

    /** Signature OIDs that carry their digest; value = scheme + "/" + digest. */
    private static final Map<ASN1ObjectIdentifier, String[]> SIGNATURES = Map.ofEntries(
            Map.entry(PKCSObjectIdentifiers.sha1WithRSAEncryption, new String[] {"RSA-PKCS1", "SHA-1"}),
            Map.entry(PKCSObjectIdentifiers.md5WithRSAEncryption, new String[] {"RSA-PKCS1", "MD5"}),
            Map.entry(PKCSObjectIdentifiers.sha224WithRSAEncryption, new String[] {"RSA-PKCS1", "SHA-224"}),
            Map.entry(PKCSObjectIdentifiers.sha256WithRSAEncryption, new String[] {"RSA-PKCS1", "SHA-256"}),
            Map.entry(PKCSObjectIdentifiers.sha384WithRSAEncryption, new String[] {"RSA-PKCS1", "SHA-384"}),
            Map.entry(PKCSObjectIdentifiers.sha512WithRSAEncryption, new String[] {"RSA-PKCS1", "SHA-512"}),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA1, new String[] {"ECDSA", "SHA-1"}),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA224, new String[] {"ECDSA", "SHA-224"}),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA256, new String[] {"ECDSA", "SHA-256"}),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA384, new String[] {"ECDSA", "SHA-384"}),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA512, new String[] {"ECDSA", "SHA-512"}));

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

    /** Checks a key transport algorithm identifier against the policy. */
    static void checkKeyTransport(AlgorithmIdentifier alg, AlgorithmPolicy policy) throws CryptoException {
        ASN1ObjectIdentifier oid = alg.getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            policy.requireKeyManagement("RSA-PKCS1");
        } else if (PKCSObjectIdentifiers.id_RSAES_OAEP.equals(oid)) {
            policy.requireKeyManagement("RSA-OAEP");
            RSAESOAEPparams params;
            try {
                params = RSAESOAEPparams.getInstance(alg.getParameters());
            } catch (RuntimeException e) {
                throw new CryptoException(CryptoFailure.UNDECRYPTABLE, "malformed RSA-OAEP parameters");
            }
            policy.requireOaepDigest(digest(params.getHashAlgorithm()));
            AlgorithmIdentifier mgf = params.getMaskGenAlgorithm();
            if (!PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())) {
                throw new CryptoException(CryptoFailure.WEAK_ALGORITHM, "RSA-OAEP mask generation function is not MGF1");
            }
            policy.requireOaepDigest(digest(AlgorithmIdentifier.getInstance(mgf.getParameters())));
        } else {
            policy.requireKeyManagement(null);
        }
    }

    /** Checks a key agreement algorithm identifier (scheme OID with the key wrap as parameter). */
    static void checkKeyAgreement(AlgorithmIdentifier alg, AlgorithmPolicy policy) throws CryptoException {
        policy.requireKeyManagement(keyAgreement(alg.getAlgorithm()));
        AlgorithmIdentifier wrap;
        try {
            wrap = AlgorithmIdentifier.getInstance(alg.getParameters());
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoFailure.UNDECRYPTABLE, "malformed key agreement parameters");
        }
        policy.requireKeyManagement(wrap == null ? null : keyWrap(wrap.getAlgorithm()));
    }

    /**
     * Checks a SignerInfo's digest and signature algorithms; returns nothing, throws WEAK_ALGORITHM when refused.
     */
    static void checkSignature(AlgorithmIdentifier digestAlg, AlgorithmIdentifier sigAlg, AlgorithmPolicy policy) throws CryptoException {
        String digest = digest(digestAlg);
        policy.requireDigest(digest, "signature");
        ASN1ObjectIdentifier oid = sigAlg.getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            policy.requireSignature("RSA-PKCS1");
        } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            policy.requireSignature("ECDSA");
        } else if (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(oid)) {
            policy.requireSignature("RSA-PSS");
            RSASSAPSSparams params;
            try {
                params = RSASSAPSSparams.getInstance(sigAlg.getParameters());
            } catch (RuntimeException e) {
                throw new CryptoException(CryptoFailure.BAD_SIGNATURE, "malformed RSA-PSS parameters");
            }
            policy.requireDigest(digest(params.getHashAlgorithm()), "RSA-PSS");
            AlgorithmIdentifier mgf = params.getMaskGenAlgorithm();
            if (!PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())) {
                throw new CryptoException(CryptoFailure.WEAK_ALGORITHM, "RSA-PSS mask generation function is not MGF1");
            }
            policy.requireDigest(digest(AlgorithmIdentifier.getInstance(mgf.getParameters())), "RSA-PSS MGF1");
        } else {
            String[] schemeAndDigest = SIGNATURES.get(oid);
            if (schemeAndDigest == null) {
                policy.requireSignature(null);
                return;
            }
            policy.requireSignature(schemeAndDigest[0]);
            policy.requireDigest(schemeAndDigest[1], "signature");
        }
    }
}
