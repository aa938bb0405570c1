package org.safeguarding.hub.desk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.safeguarding.hub.inbox.InboxReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the desk from the hub: on start and then every poll interval, reads the whole inbox ({@link InboxReader}),
 * keeping each package in the {@link DeskStore} before it is acknowledged, then applies the retention. One fetch runs
 * at a time; a failed one is logged (never with content) and the next poll tries again.
 */
public final class DeskFetcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeskFetcher.class);

    private final InboxReader inbox;
    private final DeskStore store;
    private final Clock clock;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "desk-fetcher");
        t.setDaemon(true);
        return t;
    });
    private volatile Status status = new Status(null, 0, "not fetched yet");

    /** The last fetch: when it ended, how many packages it kept, and what went wrong (empty: nothing). */
    public record Status(Instant at, int kept, String problem) {
    }

    public DeskFetcher(InboxReader inbox, DeskStore store, Clock clock) {
        this.inbox = inbox;
        this.store = store;
        this.clock = clock;
    }

    /** Fetches now, then every {@code poll}. */
    public void start(Duration poll) {
        schedule.scheduleWithFixedDelay(this::fetchQuietly, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One fetch and sweep, now, on the caller's thread (one at a time with the scheduled ones). */
    public synchronized Status fetch() {
        try {
            int kept = inbox.readAll(store::put, new InboxReader.Progress() {
                @Override
                public void notKept(String packageId, String why) {
                    LOG.warn("desk: package {} not fetched: {}", packageId, why);
                }

                @Override
                public void kept(String packageId, int ackStatus) {
                    if (ackStatus != 204) {
                        LOG.warn("desk: package {} kept but the hub answered its acknowledgement with HTTP {}",
                                packageId, ackStatus);
                    }
                }
            });
            int deleted = store.sweep();
            if (kept > 0 || deleted > 0) {
                LOG.info("desk: {} packages fetched and kept, {} past the retention deleted", kept, deleted);
            }
            status = new Status(clock.instant(), kept, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = new Status(clock.instant(), 0, "interrupted");
        } catch (Exception e) {
            LOG.warn("desk: the fetch failed, the next poll tries again: {}", e.toString());
            status = new Status(clock.instant(), 0, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return status;
    }

    public Status status() {
        return status;
    }

    private void fetchQuietly() {
        fetch();
    }

    @Override
    public void close() {
        schedule.shutdownNow();
        try {
            schedule.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
