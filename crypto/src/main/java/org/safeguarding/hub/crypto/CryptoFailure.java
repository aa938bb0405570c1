package org.safeguarding.hub.crypto;

/** Why a cryptographic check failed; the hub maps each kind to its HTTP error code. */
public enum CryptoFailure {
    /** Not CMS, not an enveloped type we accept, not addressed to any of our certificates, or failed to decrypt (wrong key, tampered). */
    UNDECRYPTABLE,
    /** Inner content is not SignedData, has no (or more than one) signer, detached content, or the signature does not verify. */
    BAD_SIGNATURE,
    /** Signer certificate does not chain to the partnership CA, is outside its validity, revoked, or not usable for signing. */
    UNTRUSTED_SIGNER,
    /**
     * An algorithm or key size the {@link AlgorithmPolicy} refuses (or does not know) in the envelope itself (content
     * encryption, key transport or agreement, key wrap, the hub's own recipient key), or when sealing: the envelope
     * cannot be opened, so the hub maps it as it maps {@link #UNDECRYPTABLE}.
     */
    WEAK_ALGORITHM,
    /**
     * The envelope opened, but the SignedData's digest or signature algorithm is one the policy refuses (SHA-1, MD5,
     * or one it does not know): the signature does not count, so the hub maps it as it maps {@link #BAD_SIGNATURE}.
     */
    WEAK_SIGNATURE,
    /**
     * The signature verifies, but with a key below the policy (RSA under {@link AlgorithmPolicy#minRsaBits()}, an EC
     * curve not in {@link AlgorithmPolicy#allowedCurves()}): the signer is not one the hub trusts, so the hub maps it as
     * it maps {@link #UNTRUSTED_SIGNER}.
     */
    WEAK_SIGNER_KEY,
    /**
     * The hub's own CA or CRL file cannot be read now (missing, or caught while it is being rewritten): no verdict on
     * the message, which must be tried again; nothing is trusted meanwhile.
     */
    TRUST_UNAVAILABLE,
    /**
     * When sealing: a recipient certificate whose key usage does not allow what sealing to it needs (key agreement for
     * an EC key, key encipherment for an RSA key), such as a person's certificate for TLS client authentication only.
     * The hub never seals to it, so such a certificate never yields a key that opens packages.
     */
    RECIPIENT_KEY_USAGE
}
