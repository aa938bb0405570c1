package org.safeguarding.hub.crypto;

import java.util.Objects;

/**
 * A cryptographic check failed. The message is safe to log and to return to the sender: it never
 * contains decrypted content, key material or the value that failed.
 */
public class CryptoException extends Exception {
    private static final long serialVersionUID = 1L;
    private final CryptoFailure failure;

    public CryptoException(CryptoFailure failure, String safeDetail) {
        this(failure, safeDetail, null);
    }

    public CryptoException(CryptoFailure failure, String safeDetail, Throwable cause) {
        super(failure + ": " + safeDetail, cause);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public CryptoFailure failure() {
        return failure;
    }
}
