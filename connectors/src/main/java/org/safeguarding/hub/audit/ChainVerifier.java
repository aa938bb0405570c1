package org.safeguarding.hub.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Objects;

/**
 * Checks a stored trail in one pass, in constant memory, inside one repeatable-read transaction:
 * <ol>
 *   <li>the purge anchor, if any, is correctly signed and the chain starts at its sequence and hash
 *       (otherwise at sequence 1 with {@link AuditHashing#GENESIS});</li>
 *   <li>every event's sequence follows the previous one, its previousHash is the previous hash, and its
 *       hash is the hash of its fields;</li>
 *   <li>every CHECKPOINT event's signature covers exactly the head before it;</li>
 *   <li>the latest row of {@code audit_checkpoint} is correctly signed and its event is still in the chain
 *       with the same id and hash: deleting events back past it is truncation.</li>
 * </ol>
 * Stops at the first failure and names it.
 */
final class ChainVerifier {
    private final CheckpointSigner signer;

    ChainVerifier(CheckpointSigner signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    AuditVerification verify(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            return run(c);
        } finally {
            c.rollback();
            c.setTransactionIsolation(isolation);
            c.setAutoCommit(autoCommit);
        }
    }

    private AuditVerification run(Connection c) throws SQLException {
        long expectedSeq = 1;
        String expectedPrev = AuditHashing.GENESIS;
        String anchorPurgeEvent = null;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT start_seq, previous_hash, cutoff, purged_at, purge_event_id, signature "
                     + "FROM audit_anchor WHERE id = 1")) {
            if (rs.next()) {
                long start = rs.getLong(1);
                String prev = rs.getString(2);
                Instant cutoff = rs.getObject(3, OffsetDateTime.class).toInstant();
                Instant purgedAt = rs.getObject(4, OffsetDateTime.class).toInstant();
                String purgeEvent = rs.getString(5);
                if (!signatureOk(CheckpointFormat.anchorBytes(start, prev, cutoff, purgedAt, purgeEvent), rs.getString(6))) {
                    return AuditVerification.bad(0, prev, purgeEvent,
                            "the retention anchor (chain starts at sequence " + start + ") is not correctly signed");
                }
                expectedSeq = start;
                expectedPrev = prev;
                anchorPurgeEvent = purgeEvent;
            }
        }

        LatestCheckpoint latest = null;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, event_id, covered_seq, head_hash, event_hash, signed_at, signature "
                     + "FROM audit_checkpoint WHERE seq = (SELECT MAX(seq) FROM audit_checkpoint)")) {
            if (rs.next()) {
                latest = new LatestCheckpoint(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(7));
                if (latest.seq != latest.coveredSeq + 1
                        || !signatureOk(CheckpointFormat.checkpointBytes(latest.coveredSeq, latest.headHash, latest.signedAt),
                        latest.signature)) {
                    return AuditVerification.bad(0, expectedPrev, latest.eventId,
                            "the latest signed checkpoint record (sequence " + latest.seq + ") is not correctly signed");
                }
            }
        }

        long count = 0;
        String head = expectedPrev;
        boolean latestSeen = latest == null;
        boolean purgeEventSeen = anchorPurgeEvent == null;
        try (PreparedStatement p = c.prepareStatement(EventRows.SELECT + " ORDER BY seq")) {
            p.setFetchSize(1000);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    AuditEvent e;
                    try {
                        e = EventRows.read(rs);
                    } catch (EventRows.UnreadableRowException ex) {
                        return AuditVerification.bad(count, head, ex.id, ex.getMessage());
                    }
                    count++;
                    String problem = checkEvent(e, expectedSeq, expectedPrev);
                    if (problem == null && latest != null && e.sequence() == latest.seq) {
                        if (!e.id().equals(latest.eventId) || !e.hash().equals(latest.eventHash)) {
                            problem = "event at sequence " + e.sequence()
                                    + " is not the one the latest signed checkpoint recorded";
                        }
                        latestSeen = true;
                    }
                    if (problem == null && !purgeEventSeen && e.id().equals(anchorPurgeEvent)) {
                        purgeEventSeen = e.type() == AuditEventType.RETENTION_PURGED;
                        if (!purgeEventSeen) {
                            problem = "the retention anchor names event " + e.id() + " which is not a RETENTION_PURGED event";
                        }
                    }
                    if (problem != null) {
                        return AuditVerification.bad(count, head, e.id(), problem);
                    }
                    head = e.hash();
                    expectedSeq = e.sequence() + 1;
                    expectedPrev = e.hash();
                }
            }
        }
        if (!latestSeen) {
            return AuditVerification.bad(count, head, latest.eventId, "trail truncated: it ends at sequence "
                    + (expectedSeq - 1) + " but a signed checkpoint (event " + latest.eventId + ", sequence "
                    + latest.seq + ") covers sequence " + latest.coveredSeq);
        }
        if (!purgeEventSeen) {
            return AuditVerification.bad(count, head, anchorPurgeEvent, "the RETENTION_PURGED event " + anchorPurgeEvent
                    + " named by the retention anchor is not in the trail");
        }
        return AuditVerification.ok(count, head);
    }

    private String checkEvent(AuditEvent e, long expectedSeq, String expectedPrev) {
        if (e.sequence() != expectedSeq) {
            if (e.sequence() > expectedSeq) {
                return "sequence " + e.sequence() + " follows " + (expectedSeq - 1) + ": event(s) "
                        + expectedSeq + (e.sequence() - 1 > expectedSeq ? ".." + (e.sequence() - 1) : "") + " missing";
            }
            return "sequence " + e.sequence() + " is out of order (expected " + expectedSeq + ")";
        }
        if (!expectedPrev.equals(e.previousHash())) {
            return "chain broken at sequence " + e.sequence() + ": previousHash does not match the hash of the event before";
        }
        if (e.time() == null || e.type() == null || e.id() == null || e.hash() == null
                || !AuditHashing.hashOf(e).equals(e.hash())) {
            return "event at sequence " + e.sequence() + " was altered: its hash does not match its fields";
        }
        if (e.type() == AuditEventType.CHECKPOINT) {
            CheckpointFormat.Parsed cp = CheckpointFormat.parse(e.detail());
            if (cp == null) {
                return "checkpoint at sequence " + e.sequence() + " has no readable signature";
            }
            if (cp.covers() != e.sequence() - 1 || !cp.head().equals(e.previousHash())) {
                return "checkpoint at sequence " + e.sequence() + " does not cover the head before it";
            }
            if (!signer.verify(CheckpointFormat.checkpointBytes(cp.covers(), cp.head(), e.time()), cp.signature())) {
                return "checkpoint at sequence " + e.sequence() + " has an invalid signature";
            }
        }
        return null;
    }

    private boolean signatureOk(byte[] data, String base64) {
        try {
            return signer.verify(data, Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private record LatestCheckpoint(long seq, String eventId, long coveredSeq, String headHash, String eventHash,
                                    Instant signedAt, String signature) {
    }
}
