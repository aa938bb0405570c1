package org.safeguarding.hub.intake;

import java.util.Locale;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.CryptoFailure;
import org.safeguarding.hub.error.ErrorCode;

/**
 * How the crypto module's failures map onto the hub's error codes, in the scenario's rejection order: what is wrong
 * with the envelope is {@code UNDECRYPTABLE}, with the signature {@code BAD_SIGNATURE}, with the signer
 * {@code UNTRUSTED_SIGNER}, whether it is broken or only refused by the algorithm policy.
 */
public final class Failures {
    private Failures() {
    }

    public static ErrorCode code(CryptoFailure failure) {
        return switch (failure) {
            // the envelope: not CMS, not for the hub, or a content encryption / key management the policy refuses
            case UNDECRYPTABLE, WEAK_ALGORITHM -> ErrorCode.UNDECRYPTABLE;
            // the envelope opened; the signature is broken, or made with SHA-1, MD5 or an algorithm the policy refuses
            case BAD_SIGNATURE, WEAK_SIGNATURE -> ErrorCode.BAD_SIGNATURE;
            // the signature verifies; the signer's certificate is not trusted, or its key is below the policy
            case UNTRUSTED_SIGNER, WEAK_SIGNER_KEY -> ErrorCode.UNTRUSTED_SIGNER;
            // the hub's own CA or CRL file is unreadable for the moment: retry later, never a lasting refusal
            case TRUST_UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            // sealing only (the hub's own certificate as a partner's CLI seals to it): not a certificate to seal to
            case RECIPIENT_KEY_USAGE -> ErrorCode.UNDECRYPTABLE;
        };
    }

    /** The problem document's detail for {@code e}: its safe detail as a sentence (the code's action follows it). */
    public static String detail(CryptoException e) {
        String d = e.detail();
        if (d == null || d.isBlank()) {
            return null;
        }
        d = d.strip();
        d = d.substring(0, 1).toUpperCase(Locale.ROOT) + d.substring(1);
        return d.endsWith(".") ? d : d + ".";
    }

    /** The hub's exception for a crypto failure: the code of {@link #code}, the detail of {@link #detail}. */
    public static org.safeguarding.hub.error.HubException hubException(CryptoException e) {
        return new org.safeguarding.hub.error.HubException(code(e.failure()), detail(e));
    }
}
