package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts the kind of a {@link CryptoException}. */
final class Failures {
    private Failures() {}

    static CryptoException expectFailure(CryptoFailure kind, ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(CryptoException.class);
        CryptoException e = (CryptoException) t;
        assertThat(e.failure()).as(e.getMessage()).isEqualTo(kind);
        return e;
    }

    static CryptoException expectOneOf(ThrowingCallable call, CryptoFailure... kinds) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(CryptoException.class);
        CryptoException e = (CryptoException) t;
        assertThat(e.failure()).as(e.getMessage()).isIn((Object[]) kinds);
        return e;
    }
}
