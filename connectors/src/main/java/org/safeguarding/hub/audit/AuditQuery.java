package org.safeguarding.hub.audit;

import java.time.Instant;

/**
 * A filter over the trail. Every field is optional. {@code participant} matches the actor or the
 * participant of an event; {@code from} is inclusive and {@code to} exclusive; results are oldest first
 * and paged with {@code afterSequence} (the sequence of the last event of the previous page).
 * For {@link AuditTrail#find} a {@code limit} of 0 means {@value #DEFAULT_LIMIT}; it is capped at
 * {@value #MAX_LIMIT}. For {@link AuditTrail#export} a {@code limit} of 0 means no limit.
 */
public record AuditQuery(String submissionId, String participant, AuditEventType type, Instant from, Instant to,
                         Long afterSequence, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("'to' is before 'from'");
        }
    }

    /** Everything, first page. */
    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, null, 0);
    }

    public AuditQuery withAfterSequence(Long after) {
        return new AuditQuery(submissionId, participant, type, from, to, after, limit);
    }

    public AuditQuery withLimit(int newLimit) {
        return new AuditQuery(submissionId, participant, type, from, to, afterSequence, newLimit);
    }

    int pageSize() {
        return limit == 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
    }
}
