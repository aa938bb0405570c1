package org.safeguarding.hub.audit;

import java.time.Duration;

/**
 * Tuning of a {@link JdbcAuditTrail}.
 *
 * @param maxBatchSize         most records committed in one group-commit transaction
 * @param checkpointEveryEvents sign a checkpoint after this many events since the last one (0: never by count)
 * @param checkpointInterval   also sign one at this interval when the head moved (null: never by time)
 */
public record AuditTrailOptions(int maxBatchSize, long checkpointEveryEvents, Duration checkpointInterval) {
    public AuditTrailOptions {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1");
        }
        if (checkpointEveryEvents < 0) {
            throw new IllegalArgumentException("checkpointEveryEvents must not be negative");
        }
        if (checkpointInterval != null && (checkpointInterval.isNegative() || checkpointInterval.isZero())) {
            throw new IllegalArgumentException("checkpointInterval must be positive");
        }
    }

    /** Batches of up to 500 records, a checkpoint every 1000 events, none by time. */
    public static AuditTrailOptions defaults() {
        return new AuditTrailOptions(500, 1000, null);
    }

    public AuditTrailOptions withCheckpointEveryEvents(long n) {
        return new AuditTrailOptions(maxBatchSize, n, checkpointInterval);
    }

    public AuditTrailOptions withCheckpointInterval(Duration interval) {
        return new AuditTrailOptions(maxBatchSize, checkpointEveryEvents, interval);
    }

    public AuditTrailOptions withMaxBatchSize(int size) {
        return new AuditTrailOptions(size, checkpointEveryEvents, checkpointInterval);
    }
}
