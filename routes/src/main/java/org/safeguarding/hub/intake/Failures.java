package org.safeguarding.hub.intake;

import org.safeguarding.hub.crypto.CryptoFailure;
import org.safeguarding.hub.error.ErrorCode;

/** How the crypto module's failures map onto the hub's error codes. */
public final class Failures {
    private Failures() {
    }

    public static ErrorCode code(CryptoFailure failure) {
        return switch (failure) {
            case UNDECRYPTABLE, WEAK_ALGORITHM -> ErrorCode.UNDECRYPTABLE;
            case BAD_SIGNATURE -> ErrorCode.BAD_SIGNATURE;
            case UNTRUSTED_SIGNER -> ErrorCode.UNTRUSTED_SIGNER;
            // the hub's own CA or CRL file is unreadable for the moment: retry later, never a lasting refusal
            case TRUST_UNAVAILABLE -> ErrorCode.UNAVAILABLE;
        };
    }
}
