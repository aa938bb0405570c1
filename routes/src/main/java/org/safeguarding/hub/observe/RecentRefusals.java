package org.safeguarding.hub.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.audit.AuditStoreException;
import org.safeguarding.hub.audit.AuditTrail;

/**
 * The refusals of the last {@code window}, counted by code from the audit trail (submissions refused at intake by their
 * error code, requests refused access as {@code ACCESS_REFUSED}): counts only, never who or what, for the operator.
 * Read at most once a {@code cacheFor}, so a page that reloads itself does not scan the trail each time; empty while
 * the audit store cannot be read.
 */
public final class RecentRefusals implements Supplier<Optional<Map<String, Long>>> {
    private final AuditTrail trail;
    private final Clock clock;
    private final Duration window;
    private final Duration cacheFor;
    private Instant readAt;
    private Optional<Map<String, Long>> last = Optional.empty();

    public RecentRefusals(AuditTrail trail, Clock clock, Duration window, Duration cacheFor) {
        this.trail = trail;
        this.clock = clock;
        this.window = window;
        this.cacheFor = cacheFor;
    }

    public Duration window() {
        return window;
    }

    @Override
    public synchronized Optional<Map<String, Long>> get() {
        Instant now = clock.instant();
        if (readAt != null && now.isBefore(readAt.plus(cacheFor))) {
            return last;
        }
        Map<String, Long> counts = new TreeMap<>();
        try {
            Instant from = now.minus(window);
            trail.export(new AuditQuery(null, null, AuditEventType.SUBMISSION_REJECTED, from, null, null, 0),
                    e -> counts.merge(e.reasonCode() == null ? "UNKNOWN" : e.reasonCode(), 1L, Long::sum));
            trail.export(new AuditQuery(null, null, AuditEventType.ACCESS_REFUSED, from, null, null, 0),
                    e -> counts.merge("ACCESS_REFUSED", 1L, Long::sum));
            last = Optional.of(counts);
        } catch (AuditStoreException e) {
            last = Optional.empty();
        }
        readAt = now;
        return last;
    }
}
