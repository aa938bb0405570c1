package org.safeguarding.hub.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Kills the hub with SIGKILL {@code kills} times while the partners send, then starts it again on the same data and
 * waits until it is healthy. The moments are seeded-random points in the load: after the n-th attempt (of any
 * client) has started, for n drawn without repetition from the middle of the expected number of attempts, so every
 * kill falls while clients are sending and routing is busy.
 */
final class HubKiller implements Runnable {
    /** Counts attempts (a POST or an upload begun); the killer waits on it. */
    static final class Progress {
        private long attempts;

        synchronized void attempted() {
            attempts++;
            notifyAll();
        }

        synchronized long attempts() {
            return attempts;
        }

        /** Waits until {@code n} attempts have begun; false if the timeout passed first. */
        synchronized boolean awaitAttempts(long n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (attempts < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    private final ForkedHub hub;
    private final Progress progress;
    private final List<Long> moments;
    private final Duration timeout;
    private final List<String> log = new ArrayList<>();
    private volatile int kills;
    private volatile Throwable failure;

    /** {@code kills} moments drawn from attempts {@code [from, to)} with {@code random}. */
    HubKiller(ForkedHub hub, Progress progress, Random random, int kills, long from, long to, Duration timeout) {
        if (to - from < kills) {
            throw new IllegalArgumentException("not enough attempts for " + kills + " kills");
        }
        TreeSet<Long> at = new TreeSet<>();
        while (at.size() < kills) {
            at.add(from + (long) (random.nextDouble() * (to - from)));
        }
        this.hub = hub;
        this.progress = progress;
        this.moments = List.copyOf(at);
        this.timeout = timeout;
    }

    @Override
    public void run() {
        try {
            for (long moment : moments) {
                if (!progress.awaitAttempts(moment, timeout)) {
                    log.add("load ended at attempt " + progress.attempts() + " before the kill planned at " + moment);
                    return;
                }
                long t0 = System.nanoTime();
                hub.kill();
                kills++;
                hub.start();
                log.add("kill " + kills + " at attempt " + moment + ", healthy again after "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    int kills() {
        return kills;
    }

    List<Long> moments() {
        return moments;
    }

    Throwable failure() {
        return failure;
    }

    List<String> log() {
        return log;
    }
}
