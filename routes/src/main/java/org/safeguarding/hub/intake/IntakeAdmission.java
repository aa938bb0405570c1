package org.safeguarding.hub.intake;

import java.util.function.LongSupplier;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * Bounds the backlog of accepted submissions that routing has not yet taken: what waits on the intake queue plus what
 * intake is taking in now never exceeds {@code maxBacklog}. Past it a partner is answered 503 with Retry-After before
 * anything is opened, so the hub never promises more than it can route in good time.
 */
public final class IntakeAdmission {
    private final LongSupplier queued;
    private final long maxBacklog;
    private long inFlight;

    /** @param queued how many submissions wait on the intake queue (the broker's own count) */
    public IntakeAdmission(LongSupplier queued, long maxBacklog) {
        if (maxBacklog < 1) {
            throw new IllegalArgumentException("maxBacklog must be at least 1");
        }
        this.queued = queued;
        this.maxBacklog = maxBacklog;
    }

    /** A place in the backlog, given back by {@link Permit#close()}; UNAVAILABLE when there is none. */
    public Permit admit() {
        synchronized (this) {
            if (queued.getAsLong() + inFlight >= maxBacklog) {
                throw new HubException(ErrorCode.UNAVAILABLE,
                        "The hub has " + maxBacklog + " submissions waiting to be routed; send this one again after"
                                + " the Retry-After delay.");
            }
            inFlight++;
        }
        return new Permit();
    }

    /** Queued plus being taken in now. */
    public synchronized long backlog() {
        return queued.getAsLong() + inFlight;
    }

    public long maxBacklog() {
        return maxBacklog;
    }

    /** One admitted submission; closing it more than once gives back one place. */
    public final class Permit implements AutoCloseable {
        private boolean closed;

        @Override
        public void close() {
            synchronized (IntakeAdmission.this) {
                if (!closed) {
                    closed = true;
                    inFlight--;
                }
            }
        }
    }
}
