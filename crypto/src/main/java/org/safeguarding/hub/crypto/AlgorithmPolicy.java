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
 *   <li>EC curves: {@code P-256}, {@code P-384}, {@code P-521} (named curves only; explicit parameters are refused)</li>
 * </ul>
 * Anything not named is refused: as {@link CryptoFailure#WEAK_ALGORITHM} in the envelope and when sealing, as
 * {@link CryptoFailure#WEAK_SIGNATURE} for a partner's signature algorithms and as
 * {@link CryptoFailure#WEAK_SIGNER_KEY} for a partner's signing key (the opener's checks, {@link Algorithms} and
 * {@link SignatureVerifier}, name those kinds).
 *
 * @param minRsaBits               smallest RSA modulus accepted (signers and recipients)
 * @param minEcBits                smallest EC field size accepted
 * @param allowedDigests           digests for signatures (and PSS hashes)
 * @param allowedContentEncryption content encryption algorithms
 * @param allowedKeyManagement     key transport / key agreement schemes and key wraps
 * @param allowedSignatures        signature schemes
 * @param allowedOaepDigests       hashes allowed inside RSA-OAEP parameters
 * @param allowedCurves            named EC curves accepted for keys (signers, recipients, the hub's own)
 */
public record AlgorithmPolicy(
        int minRsaBits,
        Set<String> allowedDigests,
        Set<String> allowedContentEncryption,
        Set<String> allowedKeyManagement,
        Set<String> allowedSignatures,
        Set<String> allowedOaepDigests,
        int minEcBits,
        Set<String> allowedCurves) {

    /** The order in which digests and curves are named in messages: strongest last. */
    private static final java.util.List<String> DIGEST_ORDER = java.util.List.of("SHA-1", "MD5", "SHA-224", "SHA-256",
            "SHA-384", "SHA-512");
    private static final java.util.List<String> CURVE_ORDER = java.util.List.of("P-256", "P-384", "P-521");

    public AlgorithmPolicy {
        allowedDigests = Set.copyOf(allowedDigests);
        allowedContentEncryption = Set.copyOf(allowedContentEncryption);
        allowedKeyManagement = Set.copyOf(allowedKeyManagement);
        allowedSignatures = Set.copyOf(allowedSignatures);
        allowedOaepDigests = Set.copyOf(allowedOaepDigests);
        allowedCurves = Set.copyOf(allowedCurves);
    }

    /** The key management name of RSA PKCS#1 v1.5 key transport: refused unless a policy adds it. */
    public static final String RSA_PKCS1 = "RSA-PKCS1";

    /**
     * RSA ≥ 2048, EC on P-256, P-384 or P-521; SHA-2 only for signatures; AES-256 GCM/CBC only; no SHA-1/MD5
     * signatures, no DES/3DES/RC2; RSA key transport with OAEP only: RSA PKCS#1 v1.5 key transport
     * ({@code RSA-PKCS1}) is refused, in envelopes opened and sealed alike, unless the policy is
     * {@link #withRsaPkcs1KeyTransport() widened} for one participant (crypto/README.md, <i>RSA PKCS#1 v1.5 key
     * transport</i>: its padding is the target of Bleichenbacher's attack).
     */
    public static AlgorithmPolicy defaults() {
        return new AlgorithmPolicy(
                2048,
                Set.of("SHA-256", "SHA-384", "SHA-512"),
                Set.of("AES-256-GCM", "AES-256-CBC"),
                Set.of("RSA-OAEP", "ECDH-SHA1KDF", "ECDH-SHA256KDF", "ECDH-SHA384KDF", "ECDH-SHA512KDF",
                        "AES-128-WRAP", "AES-192-WRAP", "AES-256-WRAP"),
                Set.of("RSA-PKCS1", "RSA-PSS", "ECDSA"),
                Set.of("SHA-1", "SHA-256", "SHA-384", "SHA-512"),
                256,
                Set.of("P-256", "P-384", "P-521"));
    }

    public AlgorithmPolicy withMinRsaBits(int bits) {
        return new AlgorithmPolicy(bits, allowedDigests, allowedContentEncryption, allowedKeyManagement, allowedSignatures,
                allowedOaepDigests, minEcBits, allowedCurves);
    }

    public AlgorithmPolicy withAllowedDigests(Set<String> digests) {
        return new AlgorithmPolicy(minRsaBits, digests, allowedContentEncryption, allowedKeyManagement, allowedSignatures,
                allowedOaepDigests, minEcBits, allowedCurves);
    }

    public AlgorithmPolicy withAllowedContentEncryption(Set<String> enc) {
        return new AlgorithmPolicy(minRsaBits, allowedDigests, enc, allowedKeyManagement, allowedSignatures,
                allowedOaepDigests, minEcBits, allowedCurves);
    }

    public AlgorithmPolicy withAllowedKeyManagement(Set<String> km) {
        return new AlgorithmPolicy(minRsaBits, allowedDigests, allowedContentEncryption, km, allowedSignatures,
                allowedOaepDigests, minEcBits, allowedCurves);
    }

    /**
     * This policy, also accepting RSA PKCS#1 v1.5 key transport ({@code RSA-PKCS1}): for the envelopes of one
     * participant the partnership allows it (a partner whose tools can encrypt no other way, a recipient that can
     * decrypt no other way), never for all.
     */
    public AlgorithmPolicy withRsaPkcs1KeyTransport() {
        java.util.Set<String> km = new java.util.HashSet<>(allowedKeyManagement);
        km.add(RSA_PKCS1);
        return withAllowedKeyManagement(km);
    }

    /** Whether this policy accepts RSA PKCS#1 v1.5 key transport. */
    public boolean allowsRsaPkcs1KeyTransport() {
        return allowedKeyManagement.contains(RSA_PKCS1);
    }

    public AlgorithmPolicy withAllowedCurves(Set<String> curves) {
        return new AlgorithmPolicy(minRsaBits, allowedDigests, allowedContentEncryption, allowedKeyManagement,
                allowedSignatures, allowedOaepDigests, minEcBits, curves);
    }

    /**
     * Throws {@link CryptoFailure#WEAK_ALGORITHM} when this policy refuses the key (RSA or EC below the minimum, an EC
     * curve not allowed, or another algorithm): for checking the hub's own key at start.
     *
     * @param what who holds the key, for the message (e.g. "the hub's")
     */
    public void checkKey(java.security.PublicKey key, String what) throws CryptoException {
        requireKeySize(key, what);
    }

    boolean allowsDigest(String name) {
        return name != null && allowedDigests.contains(name);
    }

    boolean allowsSignature(String scheme) {
        return scheme != null && allowedSignatures.contains(scheme);
    }

    /** The digests this policy accepts for signatures, weakest first, as a person reads them: "SHA-256, SHA-384 or SHA-512". */
    String digestsInWords() {
        return inWords(DIGEST_ORDER.stream().filter(allowedDigests::contains).toList());
    }

    /** The content encryption this policy accepts, as a person reads it. */
    String contentEncryptionInWords() {
        return inWords(allowedContentEncryption.stream().sorted(java.util.Comparator.reverseOrder()).toList());
    }

    /** What keys this policy accepts, as a person reads it: "RSA keys of at least 2048 bits or EC keys on P-256, P-384 or P-521". */
    String keysInWords() {
        return "RSA keys of at least " + minRsaBits + " bits or EC keys on "
                + inWords(CURVE_ORDER.stream().filter(allowedCurves::contains).filter(c -> curveBits(c) >= minEcBits).toList());
    }

    /**
     * Why this policy refuses {@code key}, as a phrase that names the key's size or curve ("an RSA key of 1024 bits,
     * below the minimum of 2048"), or null when it accepts it.
     */
    String keyProblem(java.security.PublicKey key) {
        String alg = key.getAlgorithm();
        if ("RSA".equals(alg)) {
            int bits = Certificates.keyBits(key);
            return bits < minRsaBits ? "an RSA key of " + bits + " bits, below the minimum of " + minRsaBits : null;
        }
        if ("EC".equals(alg) || "ECDSA".equals(alg)) {
            String curve = Algorithms.curve(key);
            if (curve == null) {
                return "an EC key on a curve given by explicit parameters, not a named curve";
            }
            if (!allowedCurves.contains(curve)) {
                return "an EC key on " + curve + ", not an accepted curve";
            }
            int bits = Certificates.keyBits(key);
            return bits < minEcBits ? "an EC key of " + bits + " bits, below the minimum of " + minEcBits : null;
        }
        return "a key of type " + (alg == null ? "(unknown)" : alg) + ", neither RSA nor EC";
    }

    void requireDigest(String name, String what) throws CryptoException {
        if (!allowsDigest(name)) {
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
        if (!allowsSignature(name)) {
            throw weak("signature algorithm " + (name == null ? "(unknown)" : name) + " is not allowed");
        }
    }

    /** {@link CryptoFailure#WEAK_ALGORITHM} when {@link #keyProblem} names one: {@code what} + " key is " + the problem. */
    void requireKeySize(java.security.PublicKey key, String what) throws CryptoException {
        String problem = keyProblem(key);
        if (problem != null) {
            throw weak(what + " key is " + problem + "; the policy accepts " + keysInWords());
        }
    }

    private static int curveBits(String curve) {
        return switch (curve) {
            case "P-256" -> 256;
            case "P-384" -> 384;
            case "P-521" -> 521;
            default -> 0;
        };
    }

    private static String inWords(java.util.List<String> names) {
        if (names.isEmpty()) {
            return "(none)";
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static CryptoException weak(String detail) {
        return new CryptoException(CryptoFailure.WEAK_ALGORITHM, detail);
    }
}
