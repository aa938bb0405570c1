package org.safeguarding.hub.crypto.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The one way tests wait for a condition: a bounded poll that backs off from 5 ms to 100 ms and fails with what it
 * waited for and the last value seen. Never a fixed sleep.
 */
public final class Await {
    private Await() {
    }

    /** Waits until {@code condition} holds, or fails after {@code timeout} naming {@code what}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        value(what, timeout, () -> condition.getAsBoolean(), Boolean::booleanValue);
    }

    /**
     * Waits until {@code probe} returns a value that {@code accepted} takes, and returns it; exceptions from the probe
     * count as "not yet" and the last one is the failure's cause.
     */
    public static <T> T value(String what, Duration timeout, Callable<T> probe, Predicate<? super T> accepted) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = TimeUnit.MILLISECONDS.toNanos(5);
        T last = null;
        Exception lastFailure = null;
        while (true) {
            try {
                last = probe.call();
                lastFailure = null;
                if (accepted.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                lastFailure = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError failure = new AssertionError("waited " + timeout.toMillis() + " ms for " + what
                        + "; last seen: " + (lastFailure != null ? lastFailure : last));
                if (lastFailure != null) {
                    failure.initCause(lastFailure);
                }
                throw failure;
            }
            LockSupport.parkNanos(pause);
            if (Thread.interrupted()) {
                throw new AssertionError("interrupted while waiting for " + what);
            }
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
