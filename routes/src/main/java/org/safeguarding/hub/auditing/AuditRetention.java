package org.safeguarding.hub.auditing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Objects;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the audit trail to its retention period: {@link #runOnce()} purges every event older than
 * now minus the period (UTC calendar arithmetic, so P7Y is seven calendar years). The trail keeps itself
 * verifiable (a signed checkpoint and anchor mark the new start) and records the purge as a
 * RETENTION_PURGED event, even when nothing was old enough. The hub runs it daily as its cluster-once
 * {@code audit-retention} route ({@link #FIRST_AFTER} after the route starts, then every {@link #EVERY}).
 */
public final class AuditRetention {
    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);
    /** How often the audit-retention route purges. */
    public static final Duration EVERY = Duration.ofDays(1);
    /** The route's first purge waits this long after it starts, so that start-up is not slowed. */
    public static final Duration FIRST_AFTER = Duration.ofMinutes(10);

    private final AuditTrail trail;
    private final Period retention;
    private final Clock clock;

    public AuditRetention(AuditTrail trail, Period retention, Clock clock) {
        this.trail = Objects.requireNonNull(trail, "trail");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("the retention period must be positive");
        }
    }

    /** Events before this instant are past retention. */
    public Instant cutoff() {
        return clock.instant().atOffset(ZoneOffset.UTC).minus(retention).toInstant();
    }

    /** Purges what is past retention now; returns the RETENTION_PURGED event. */
    public AuditEvent runOnce() {
        AuditEvent e = trail.purgeBefore(cutoff());
        LOG.info("audit retention ({}): {}", retention, e.detail());
        return e;
    }
}
