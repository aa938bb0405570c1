package org.safeguarding.hub.intake;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keys being taken in now, one holder each: a second copy of a submission waits for the first copy's answer instead of
 * racing it to the broker (whose duplicate detection sees only committed copies). Within one hub process.
 */
final class InFlight {
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** The key's claim, waiting up to {@code wait} for another holder; null if it was not had in time. */
    Claim claim(String key, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
            try {
                if (!lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    return null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (locks.get(key) == lock) {
                return new Claim(key, lock);
            }
            lock.unlock(); // its holder let it go and removed it meanwhile: take the current one
        }
    }

    /** Held by one thread until closed. */
    final class Claim implements AutoCloseable {
        private final String key;
        private final ReentrantLock lock;

        Claim(String key, ReentrantLock lock) {
            this.key = key;
            this.lock = lock;
        }

        @Override
        public void close() {
            if (!lock.hasQueuedThreads()) {
                locks.remove(key, lock);
            }
            lock.unlock();
        }
    }
}
