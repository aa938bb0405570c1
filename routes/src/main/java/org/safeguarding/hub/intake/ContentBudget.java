package org.safeguarding.hub.intake;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How much opened content the hub holds in memory at once, across intake and routing: each opening reserves the size of
 * its sealed body (the content is never longer) before it allocates anything, and gives it back when the content is let
 * go. So many large submissions at once wait their turn (intake answers 503 after a short wait; routing waits, and
 * the broker redelivers if it waits too long) instead of running the hub out of heap. A body larger than the whole
 * budget takes all of it and runs alone. Counted in KiB.
 */
public final class ContentBudget {
    /** The share of the maximum heap that opened content may take; the rest is the hub's own working memory. */
    static final double HEAP_SHARE = 1.0 / 3;

    private final Semaphore kib;
    private final int totalKib;

    public ContentBudget(long bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("a content budget of at least 1 KiB");
        }
        this.totalKib = (int) Math.min(Integer.MAX_VALUE, bytes / 1024);
        this.kib = new Semaphore(totalKib, true);
    }

    /** A third of this JVM's maximum heap. */
    public static ContentBudget ofHeap() {
        return new ContentBudget((long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE));
    }

    /** A reservation for content of {@code bytes}, waiting at most {@code wait}; empty if none was free in time. */
    public Optional<Permit> tryReserve(long bytes, Duration wait) throws InterruptedException {
        int n = kibFor(bytes);
        return kib.tryAcquire(n, wait.toNanos(), TimeUnit.NANOSECONDS) ? Optional.of(new Permit(n)) : Optional.empty();
    }

    /** KiB free now (for tests and metrics). */
    public int availableKib() {
        return kib.availablePermits();
    }

    public int totalKib() {
        return totalKib;
    }

    private int kibFor(long bytes) {
        long n = (Math.max(0, bytes) + 1023) / 1024;
        return (int) Math.max(1, Math.min(totalKib, n));
    }

    /** Gives its share back once, when closed. */
    public final class Permit implements AutoCloseable {
        private final int n;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(int n) {
            this.n = n;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                kib.release(n);
            }
        }
    }
}
