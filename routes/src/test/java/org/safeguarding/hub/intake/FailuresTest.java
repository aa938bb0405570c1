package org.safeguarding.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.safeguarding.hub.crypto.CryptoFailure;
import org.safeguarding.hub.error.ErrorCode;

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

    @Test
    void unreadableTrustFilesArePassing() {
        assertThat(Failures.code(CryptoFailure.TRUST_UNAVAILABLE)).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(ErrorCode.UNAVAILABLE.isPassing()).isTrue();
    }
}
