package org.safeguarding.hub.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Mapping between {@link AuditEvent} and rows of {@code audit_event}. */
final class EventRows {
    static final String COLUMNS = "seq, id, event_time, event_type, event_key, actor, participant, submission_id, "
            + "package_id, agreement_id, agreement_version, decision, reason_code, withheld_paths, received_digest, "
            + "package_digest, detail, previous_hash, event_hash";
    static final String INSERT = "INSERT INTO audit_event (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String SELECT = "SELECT " + COLUMNS + " FROM audit_event";

    private EventRows() {
    }

    static void bind(PreparedStatement p, AuditEvent e) throws SQLException {
        p.setLong(1, e.sequence());
        p.setString(2, e.id());
        p.setObject(3, timestamp(e.time()));
        p.setString(4, e.type().name());
        p.setString(5, e.key());
        p.setString(6, e.actor());
        p.setString(7, e.participant());
        p.setString(8, e.submissionId());
        p.setString(9, e.packageId());
        p.setString(10, e.agreementId());
        if (e.agreementVersion() == null) {
            p.setNull(11, Types.INTEGER);
        } else {
            p.setInt(11, e.agreementVersion());
        }
        p.setString(12, e.decision());
        p.setString(13, e.reasonCode());
        p.setString(14, encodePaths(e.withheldPaths()));
        p.setString(15, e.receivedDigest());
        p.setString(16, e.packageDigest());
        p.setString(17, e.detail());
        p.setString(18, e.previousHash());
        p.setString(19, e.hash());
    }

    /**
     * Reads the current row. Throws {@link UnreadableRowException} (carrying what could be read) when a
     * stored value cannot be an event's, e.g. an unknown type or malformed paths.
     */
    static AuditEvent read(ResultSet rs) throws SQLException {
        long seq = rs.getLong(1);
        String id = rs.getString(2);
        try {
            OffsetDateTime t = rs.getObject(3, OffsetDateTime.class);
            int version = rs.getInt(11);
            Integer agreementVersion = rs.wasNull() ? null : version;
            return new AuditEvent(id, seq, t == null ? null : t.toInstant(), AuditEventType.valueOf(rs.getString(4)),
                    rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                    rs.getString(10), agreementVersion, rs.getString(12), rs.getString(13),
                    decodePaths(rs.getString(14)), rs.getString(15), rs.getString(16), rs.getString(17),
                    rs.getString(18), rs.getString(19));
        } catch (IllegalArgumentException e) {
            // never echo the stored value: a tampered row could hold anything
            throw new UnreadableRowException(seq, id, "a stored value is not valid for an audit event");
        }
    }

    static OffsetDateTime timestamp(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    /** Paths are validated to hold no quote, comma or backslash, so this JSON array needs no escaping. */
    static String encodePaths(List<String> paths) {
        if (paths.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < paths.size(); i++) {
            sb.append(i == 0 ? "\"" : ",\"").append(paths.get(i)).append('"');
        }
        return sb.append(']').toString();
    }

    static List<String> decodePaths(String stored) {
        if (stored == null) {
            return List.of();
        }
        if (!stored.startsWith("[\"") || !stored.endsWith("\"]")) {
            throw new IllegalArgumentException("withheld_paths is not a JSON array of paths");
        }
        String inner = stored.substring(2, stored.length() - 2);
        List<String> out = new ArrayList<>();
        for (String p : inner.split("\",\"", -1)) {
            if (p.isEmpty() || p.indexOf('"') >= 0 || p.indexOf('\\') >= 0) {
                throw new IllegalArgumentException("withheld_paths holds a malformed path");
            }
            out.add(p);
        }
        return out;
    }

    /** A stored row that cannot be read as an event. */
    static final class UnreadableRowException extends RuntimeException {
        final long seq;
        final String id;

        UnreadableRowException(long seq, String id, String why) {
            super("row at sequence " + seq + " cannot be read: " + why);
            this.seq = seq;
            this.id = id;
        }
    }
}
