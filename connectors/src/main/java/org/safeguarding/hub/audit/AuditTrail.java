package org.safeguarding.hub.audit;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** The hub's hash-chained, checkpointed audit trail. Thread-safe. */
public interface AuditTrail extends AutoCloseable {

    /** Records one event; returns once it is committed. A record whose key is already stored returns the stored event. */
    AuditEvent append(AuditRecord record);

    /** Records several events in one transaction, in order; one result per record (stored events for known keys). */
    List<AuditEvent> appendAll(List<AuditRecord> records);

    /** One page of events matching the query, oldest first; page on with {@code afterSequence}. */
    List<AuditEvent> find(AuditQuery query);

    /** Streams every matching event, oldest first, to the sink in constant memory. */
    void export(AuditQuery query, Consumer<AuditEvent> sink);

    /** Checks the whole chain, every checkpoint, the latest signed checkpoint and the purge anchor. */
    AuditVerification verify();

    /** Signs the chain head now and records it as a CHECKPOINT event (returns the head if it already is one). */
    AuditEvent checkpoint();

    /**
     * Deletes events older than {@code cutoff} while keeping the chain verifiable: signs a checkpoint,
     * records a RETENTION_PURGED event, deletes, and stores a signed anchor marking the new start.
     * Returns the RETENTION_PURGED event.
     */
    AuditEvent purgeBefore(Instant cutoff);

    /** True while the trail accepts appends and its database answers. */
    boolean healthy();

    /** Signs a final checkpoint, stops the writer and releases the database. Idempotent. */
    @Override
    void close();
}
