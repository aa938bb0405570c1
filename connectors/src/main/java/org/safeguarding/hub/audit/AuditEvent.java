package org.safeguarding.hub.audit;

import java.time.Instant;
import java.util.List;

/**
 * A stored audit event: the record plus its place in the chain. Instances read back from the
 * database are not validated (a tampered row must still be reportable); events created by the
 * trail come from validated {@link AuditRecord}s.
 */
public record AuditEvent(String id, long sequence, Instant time, AuditEventType type, String key, String actor,
                         String participant, String submissionId, String packageId, String agreementId,
                         Integer agreementVersion, String decision, String reasonCode, List<String> withheldPaths,
                         String receivedDigest, String packageDigest, String detail, String previousHash,
                         String hash) {

    public AuditEvent {
        withheldPaths = withheldPaths == null ? List.of() : List.copyOf(withheldPaths);
    }

    /** True when {@link #hash()} is the hash of this event's fields. */
    public boolean hashMatches() {
        return AuditHashing.hashOf(this).equals(hash);
    }
}
