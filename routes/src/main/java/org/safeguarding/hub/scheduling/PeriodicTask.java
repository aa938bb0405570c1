package org.safeguarding.hub.scheduling;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * A housekeeping job of the hub (retention, expiry) on its own daemon thread: first run after
 * {@code first}, then {@code every} after each run ends. A failed run is logged and the next
 * one tries again; {@link #close()} stops it and waits for a run in progress.
 */
public final class PeriodicTask implements AutoCloseable {
    private final ScheduledExecutorService scheduler;

    private PeriodicTask(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    public static PeriodicTask start(String name, Duration first, Duration every, Runnable task, Logger log) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the interval of " + name + " must be positive");
        }
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} failed, the next run tries again: {}", name, e.toString());
            }
        }, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return new PeriodicTask(s);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
