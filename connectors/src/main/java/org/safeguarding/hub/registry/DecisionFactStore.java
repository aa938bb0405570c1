package org.safeguarding.hub.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.safeguarding.hub.jdbc.SqlDialect;

/**
 * The facts each routed submission's decisions turned on, without its content (partner, area, categories, purpose,
 * classification, handling code, placing authority, subject roles and age bands, context types, which groups were
 * present, and what each recipient was decided), for the IG lead's what-if. In the registry's database; in
 * combination they describe a child, so they go with the links' retention ({@link #expire}).
 */
public final class DecisionFactStore {
    /** A submission's facts as kept: JSON written and read by the what-if. */
    public record Stored(String partnerId, String submissionId, Instant receivedAt, String facts) {
    }

    private final DataSource dataSource;

    public DecisionFactStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static void createTables(Statement s) throws SQLException {
        s.execute("""
                CREATE TABLE IF NOT EXISTS decision_fact (
                  partner_id VARCHAR(100) NOT NULL,
                  submission_id VARCHAR(100) NOT NULL,
                  received_at TIMESTAMP WITH TIME ZONE NOT NULL,
                  facts VARCHAR(16000) NOT NULL,
                  PRIMARY KEY (partner_id, submission_id))""");
        s.execute("CREATE INDEX IF NOT EXISTS decision_fact_time ON decision_fact (received_at)");
    }

    /** Keeps the facts unless the submission's are kept already (a replayed step adds nothing). */
    static void apply(Connection c, RegistryChange.Facts f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO decision_fact (partner_id, submission_id,"
                + " received_at, facts) SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM decision_fact"
                + " WHERE partner_id = ? AND submission_id = ?)" + SqlDialect.ifAbsent(c))) {
            ps.setString(1, f.partnerId());
            ps.setString(2, f.submissionId());
            ps.setTimestamp(3, Timestamp.from(f.receivedAt()));
            ps.setString(4, f.facts());
            ps.setString(5, f.partnerId());
            ps.setString(6, f.submissionId());
            ps.executeUpdate();
        }
    }

    /** The facts of submissions received at or after {@code from}, oldest first, at most {@code limit}. */
    public List<Stored> since(Instant from, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT partner_id, submission_id, received_at, facts FROM"
                     + " decision_fact WHERE received_at >= ? ORDER BY received_at, partner_id, submission_id")) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setMaxRows(limit);
            List<Stored> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stored(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getString(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RegistryUnavailableException("the decision facts cannot be read: " + e.getMessage(), e);
        }
    }

    /** Removes the facts of submissions received before {@code cutoff}; how many. */
    public int expire(Instant cutoff) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM decision_fact WHERE received_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new RegistryUnavailableException("the decision facts cannot be expired: " + e.getMessage(), e);
        }
    }

    /** The receipt time of the oldest facts still kept, if any. */
    public java.util.Optional<Instant> oldest() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT MIN(received_at) FROM decision_fact");
             ResultSet rs = ps.executeQuery()) {
            Timestamp t = rs.next() ? rs.getTimestamp(1) : null;
            return java.util.Optional.ofNullable(t == null ? null : t.toInstant());
        } catch (SQLException e) {
            throw new RegistryUnavailableException("the decision facts cannot be read: " + e.getMessage(), e);
        }
    }
}
