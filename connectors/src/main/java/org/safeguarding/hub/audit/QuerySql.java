package org.safeguarding.hub.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Turns an {@link AuditQuery} into one parameterised SELECT, oldest first. */
final class QuerySql {
    private QuerySql() {
    }

    /** Runs the query and hands each event to the sink as it is read; {@code limit} 0 means no limit. */
    static void run(Connection c, AuditQuery q, int limit, Consumer<AuditEvent> sink) throws SQLException {
        StringBuilder sql = new StringBuilder(EventRows.SELECT);
        List<Object> args = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (q.submissionId() != null) {
            where.add("submission_id = ?");
            args.add(q.submissionId().toLowerCase(java.util.Locale.ROOT));
        }
        if (q.participant() != null) {
            where.add("(actor = ? OR participant = ?)");
            args.add(q.participant());
            args.add(q.participant());
        }
        if (q.type() != null) {
            where.add("event_type = ?");
            args.add(q.type().name());
        }
        if (q.from() != null) {
            where.add("event_time >= ?");
            args.add(EventRows.timestamp(q.from()));
        }
        if (q.to() != null) {
            where.add("event_time < ?");
            args.add(EventRows.timestamp(q.to()));
        }
        if (q.afterSequence() != null) {
            where.add("seq > ?");
            args.add(q.afterSequence());
        }
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        sql.append(" ORDER BY seq");
        if (limit > 0) {
            sql.append(" LIMIT ?");
            args.add(limit);
        }
        try (PreparedStatement p = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                p.setObject(i + 1, args.get(i));
            }
            p.setFetchSize(500);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    sink.accept(EventRows.read(rs));
                }
            }
        }
    }
}
