package org.safeguarding.hub.crypto;

/** Why a cryptographic check failed; the hub maps each kind to its HTTP error code. */
public enum CryptoFailure {
    /** Not CMS, not an enveloped type we accept, not addressed to any of our certificates, or failed to decrypt (wrong key, tampered). */
    UNDECRYPTABLE,
    /** Inner content is not SignedData, has no (or more than one) signer, detached content, or the signature does not verify. */
    BAD_SIGNATURE,
    /** Signer certificate does not chain to the partnership CA, is outside its validity, revoked, or not usable for signing. */
    UNTRUSTED_SIGNER,
    /** An algorithm or key size the {@link AlgorithmPolicy} refuses (or does not know). */
    WEAK_ALGORITHM,
    /**
     * The hub's own CA or CRL file cannot be read now (missing, or caught while it is being rewritten): no verdict on
     * the message, which must be tried again; nothing is trusted meanwhile.
     */
    TRUST_UNAVAILABLE
}
