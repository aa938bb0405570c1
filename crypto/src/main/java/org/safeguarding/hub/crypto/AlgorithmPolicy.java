package org.safeguarding.hub.crypto;

import java.util.Set;

/**
 * Which algorithms and key sizes the hub accepts and produces. Names, not OIDs:
 * <ul>
 *   <li>digests: {@code SHA-256}, {@code SHA-384}, {@code SHA-512} (also {@code SHA-224}, {@code SHA-1}, {@code MD5} if you insist)</li>
 *   <li>content encryption: {@code AES-256-GCM}, {@code AES-256-CBC}, {@code AES-128-GCM}, ..., {@code DES-EDE3-CBC}, {@code DES-CBC}, {@code RC2-CBC}</li>
 *   <li>key management: {@code RSA-PKCS1}, {@code RSA-OAEP} (its hash and MGF hash must also be allowed OAEP digests:
 *       SHA-1 is accepted for OAEP because it is OpenSSL's default and is not a collision-resistance use),
 *       {@code ECDH-SHA1KDF}, {@code ECDH-SHA256KDF}, {@code ECDH-SHA384KDF}, {@code ECDH-SHA512KDF},
 *       and key wraps {@code AES-128-WRAP}, {@code AES-192-WRAP}, {@code AES-256-WRAP}</li>
 *   <li>signatures: {@code RSA-PKCS1}, {@code RSA-PSS}, {@code ECDSA}; their digest must be in {@code allowedDigests}</li>
 * </ul>
 * Anything not named is refused as {@link CryptoFailure#WEAK_ALGORITHM}.
 *
 * @param minRsaBits               smallest RSA modulus accepted (signers and recipients)
 * @param minEcBits                smallest EC field size accepted
 * @param allowedDigests           digests for signatures (and PSS hashes)
 * @param allowedContentEncryption content encryption algorithms
 * @param allowedKeyManagement     key transport / key agreement schemes and key wraps
 * @param allowedSignatures        signature schemes
 * @param allowedOaepDigests       hashes allowed inside RSA-OAEP parameters
 */
public record AlgorithmPolicy(
        int minRsaBits,
        Set<String> allowedDigests,
        Set<String> allowedContentEncryption,
        Set<String> allowedKeyManagement,
        Set<String> allowedSignatures,
        Set<String> allowedOaepDigests,
        int minEcBits) {

    public AlgorithmPolicy {
        allowedDigests = Set.copyOf(allowedDigests);
        allowedContentEncryption = Set.copyOf(allowedContentEncryption);
        allowedKeyManagement = Set.copyOf(allowedKeyManagement);
        allowedSignatures = Set.copyOf(allowedSignatures);
        allowedOaepDigests = Set.copyOf(allowedOaepDigests);
    }

    /** RSA ≥ 2048, EC ≥ 256; SHA-2 only for signatures; AES-256 GCM/CBC only; no SHA-1/MD5 signatures, no DES/3DES/RC2. */
    public static AlgorithmPolicy defaults() {
        return new AlgorithmPolicy(
                2048,
                Set.of("SHA-256", "SHA-384", "SHA-512"),
                Set.of("AES-256-GCM", "AES-256-CBC"),
                Set.of("RSA-OAEP", "RSA-PKCS1", "ECDH-SHA1KDF", "ECDH-SHA256KDF", "ECDH-SHA384KDF", "ECDH-SHA512KDF",
                        "AES-128-WRAP", "AES-192-WRAP", "AES-256-WRAP"),
                Set.of("RSA-PKCS1", "RSA-PSS", "ECDSA"),
                Set.of("SHA-1", "SHA-256", "SHA-384", "SHA-512"),
                256);
    }

    public AlgorithmPolicy withMinRsaBits(int bits) {
        return new AlgorithmPolicy(bits, allowedDigests, allowedContentEncryption, allowedKeyManagement, allowedSignatures,
                allowedOaepDigests, minEcBits);
    }

    public AlgorithmPolicy withAllowedDigests(Set<String> digests) {
        return new AlgorithmPolicy(minRsaBits, digests, allowedContentEncryption, allowedKeyManagement, allowedSignatures,
                allowedOaepDigests, minEcBits);
    }

    public AlgorithmPolicy withAllowedContentEncryption(Set<String> enc) {
        return new AlgorithmPolicy(minRsaBits, allowedDigests, enc, allowedKeyManagement, allowedSignatures,
                allowedOaepDigests, minEcBits);
    }

    public AlgorithmPolicy withAllowedKeyManagement(Set<String> km) {
        return new AlgorithmPolicy(minRsaBits, allowedDigests, allowedContentEncryption, km, allowedSignatures,
                allowedOaepDigests, minEcBits);
    }

    /**
     * Throws {@link CryptoFailure#WEAK_ALGORITHM} when this policy refuses the key (RSA or EC below the minimum, or
     * another algorithm): for checking the hub's own key at start.
     *
     * @param what who holds the key, for the message (e.g. "the hub's")
     */
    public void checkKey(java.security.PublicKey key, String what) throws CryptoException {
        requireKeySize(key, what);
    }

    void requireDigest(String name, String what) throws CryptoException {
        if (name == null || !allowedDigests.contains(name)) {
            throw weak(what + " digest " + (name == null ? "(unknown)" : name) + " is not allowed");
        }
    }

    void requireContentEncryption(String name) throws CryptoException {
        if (name == null || !allowedContentEncryption.contains(name)) {
            throw weak("content encryption " + (name == null ? "(unknown)" : name) + " is not allowed");
        }
    }

    void requireKeyManagement(String name) throws CryptoException {
        if (name == null || !allowedKeyManagement.contains(name)) {
            throw weak("key management " + (name == null ? "(unknown)" : name) + " is not allowed");
        }
    }

    void requireOaepDigest(String name) throws CryptoException {
        if (name == null || !allowedOaepDigests.contains(name)) {
            throw weak("RSA-OAEP hash " + (name == null ? "(unknown)" : name) + " is not allowed");
        }
    }

    void requireSignature(String name) throws CryptoException {
        if (name == null || !allowedSignatures.contains(name)) {
            throw weak("signature algorithm " + (name == null ? "(unknown)" : name) + " is not allowed");
        }
    }

    void requireKeySize(java.security.PublicKey key, String what) throws CryptoException {
        int bits = Certificates.keyBits(key);
        String alg = key.getAlgorithm();
        if ("RSA".equals(alg)) {
            if (bits < minRsaBits) {
                throw weak(what + " RSA key of " + bits + " bits is below " + minRsaBits);
            }
        } else if ("EC".equals(alg) || "ECDSA".equals(alg)) {
            if (bits < minEcBits) {
                throw weak(what + " EC key of " + bits + " bits is below " + minEcBits);
            }
        } else {
            throw weak(what + " key algorithm " + alg + " is not supported");
        }
    }

    private static CryptoException weak(String detail) {
        return new CryptoException(CryptoFailure.WEAK_ALGORITHM, detail);
    }
}
