package org.safeguarding.hub.auditing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.safeguarding.hub.audit.AuditRecord;
import org.safeguarding.hub.registry.RegistryChange;

/**
 * What one step of the flow records: its audit records and its registry changes. It travels as one message on the
 * broker's audit queue inside the step's own transaction, so the step's outputs and its record commit together or not
 * at all; {@link AuditFeed} applies it afterwards. Every record carries a key, so a replayed step adds nothing twice.
 */
public final class StepRecord {
    private final String id;
    private final List<AuditRecord> records = new ArrayList<>();
    private final List<RegistryChange> changes = new ArrayList<>();

    public StepRecord() {
        this(UUID.randomUUID().toString());
    }

    StepRecord(String id) {
        this.id = id;
    }

    /**
     * A record whose id is derived from what it records (a package's acknowledgement: {@code ack:<packageId>}), so that
     * a step replayed from another node or after a crash carries the same id.
     */
    public static StepRecord keyed(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a keyed step record needs an id");
        }
        return new StepRecord(id);
    }

    /** This record's own id, by which a caller may wait for it to be applied. */
    public String id() {
        return id;
    }

    public StepRecord audit(AuditRecord record) {
        if (record.key() == null) {
            throw new IllegalArgumentException("a step's audit record needs a key, so that a replay adds nothing");
        }
        records.add(record);
        return this;
    }

    public StepRecord audit(List<AuditRecord> list) {
        list.forEach(this::audit);
        return this;
    }

    public StepRecord change(RegistryChange change) {
        changes.add(change);
        return this;
    }

    public List<AuditRecord> records() {
        return List.copyOf(records);
    }

    public List<RegistryChange> changes() {
        return List.copyOf(changes);
    }

    @Override
    public String toString() {
        return "StepRecord[" + id + ", " + records.size() + " records, " + changes.size() + " changes]";
    }
}
