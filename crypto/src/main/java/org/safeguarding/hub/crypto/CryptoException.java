package org.safeguarding.hub.crypto;

import java.util.Objects;

/**
 * A cryptographic check failed. The message is safe to log and to return to the sender: it never
 * contains decrypted content, key material or the value that failed.
 */
public class CryptoException extends Exception {
    private static final long serialVersionUID = 1L;
    private final CryptoFailure failure;
    private final String detail;

    public CryptoException(CryptoFailure failure, String safeDetail) {
        this(failure, safeDetail, null);
    }

    public CryptoException(CryptoFailure failure, String safeDetail, Throwable cause) {
        super(failure + ": " + safeDetail, cause);
        this.failure = Objects.requireNonNull(failure, "failure");
        this.detail = safeDetail;
    }

    /** What went wrong and, where the sender can do something about it, what to do: no failure kind in front. */
    public String detail() {
        return detail;
    }

    public CryptoFailure failure() {
        return failure;
    }
}
