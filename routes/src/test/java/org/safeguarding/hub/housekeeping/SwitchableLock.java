package org.safeguarding.hub.housekeeping;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One lock shared by several contenders in a test, as PostgreSQL's advisory lock is: at most one holds it; the test
 * can take it away from its holder ({@link #revoke()}, as a dropped session does) or keep everyone out.
 */
final class SwitchableLock {
    private final AtomicReference<Contender> holder = new AtomicReference<>();
    private final AtomicBoolean open = new AtomicBoolean(true);

    Contender contender(String name, Duration takeoverDelay) {
        return new Contender(name, takeoverDelay);
    }

    /** Nobody can take the lock until {@link #reopen()}. */
    void closeToAll() {
        open.set(false);
    }

    void reopen() {
        open.set(true);
    }

    /** The holder loses the lock without being told, as when the server drops its session. */
    void revoke() {
        holder.set(null);
    }

    Contender holder() {
        return holder.get();
    }

    final class Contender implements LeaderLock {
        private final String name;
        private final Duration takeoverDelay;

        private Contender(String name, Duration takeoverDelay) {
            this.name = name;
            this.takeoverDelay = takeoverDelay;
        }

        @Override
        public boolean tryAcquire() {
            return open.get() && (holder.compareAndSet(null, this) || holder.get() == this);
        }

        @Override
        public boolean stillHeld() {
            return holder.get() == this;
        }

        @Override
        public void release() {
            holder.compareAndSet(this, null);
        }

        @Override
        public Duration takeoverDelay(LeadershipTimings timings) {
            return takeoverDelay;
        }

        @Override
        public String describe() {
            return "test lock of " + name;
        }
    }
}
