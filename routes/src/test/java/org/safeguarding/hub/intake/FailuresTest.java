package org.safeguarding.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.CryptoFailure;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * Every crypto failure has a code; only the hub's own trust files being unreadable is passing (intake answers 503 and
 * the partner retries; routing rolls back and the broker redelivers): the rest are verdicts on the message.
 */
class FailuresTest {
    @ParameterizedTest
    @EnumSource(value = CryptoFailure.class, names = "TRUST_UNAVAILABLE", mode = EnumSource.Mode.EXCLUDE)
    void aVerdictOnTheMessageIsLasting(CryptoFailure failure) {
        assertThat(Failures.code(failure).isPassing()).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "UNDECRYPTABLE, UNDECRYPTABLE",
            // a content encryption or key management the policy refuses: the envelope is not opened
            "WEAK_ALGORITHM, UNDECRYPTABLE",
            "BAD_SIGNATURE, BAD_SIGNATURE",
            // SHA-1, MD5 or an unknown signature algorithm: the signature does not count (issue 11, item 9)
            "WEAK_SIGNATURE, BAD_SIGNATURE",
            "UNTRUSTED_SIGNER, UNTRUSTED_SIGNER",
            // a signer key below the policy (RSA-1024, a curve not allowed): the signer is not trusted
            "WEAK_SIGNER_KEY, UNTRUSTED_SIGNER",
            "TRUST_UNAVAILABLE, UNAVAILABLE"})
    void eachFailureHasTheCodeOfItsPlaceInTheRejectionOrder(CryptoFailure failure, ErrorCode code) {
        assertThat(Failures.code(failure)).isEqualTo(code);
    }

    @Test
    void theDetailIsTheCryptoDetailAsASentenceWithoutTheFailureKind() {
        CryptoException e = new CryptoException(CryptoFailure.WEAK_SIGNATURE,
                "the signature uses SHA-1 (sha1WithRSAEncryption); sign with SHA-256, SHA-384 or SHA-512");

        HubException h = Failures.hubException(e);

        assertThat(h.code()).isEqualTo(ErrorCode.BAD_SIGNATURE);
        assertThat(h.detail()).isEqualTo("The signature uses SHA-1 (sha1WithRSAEncryption); sign with SHA-256, SHA-384 or"
                + " SHA-512.");
        assertThat(Failures.detail(new CryptoException(CryptoFailure.UNDECRYPTABLE, "empty body."))).isEqualTo("Empty body.");
    }

    @Test
    void unreadableTrustFilesArePassing() {
        assertThat(Failures.code(CryptoFailure.TRUST_UNAVAILABLE)).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(ErrorCode.UNAVAILABLE.isPassing()).isTrue();
    }
}
