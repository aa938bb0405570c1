package org.safeguarding.hub.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * The hub's memory of every submission it accepted: the receipt (for idempotent repeats and
 * duplicate conflicts, keyed on partner and submission id), the routing status, and each
 * recipient's package and its state. It holds identifiers and digests, never content.
 */
public final class SubmissionRegistry {
    private final DataSource dataSource;
    private final Clock clock;

    public SubmissionRegistry(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        createSchema();
    }

    private void createSchema() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS submission (
                      partner_id VARCHAR(100) NOT NULL,
                      submission_id VARCHAR(100) NOT NULL,
                      receipt_id VARCHAR(36) NOT NULL,
                      received_at TIMESTAMP WITH TIME ZONE NOT NULL,
                      content_digest VARCHAR(64) NOT NULL,
                      status VARCHAR(16) NOT NULL,
                      updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
                      PRIMARY KEY (partner_id, submission_id))""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS delivery (
                      package_id VARCHAR(36) NOT NULL PRIMARY KEY,
                      partner_id VARCHAR(100) NOT NULL,
                      submission_id VARCHAR(100) NOT NULL,
                      recipient VARCHAR(100) NOT NULL,
                      state VARCHAR(16) NOT NULL,
                      delivered_at TIMESTAMP WITH TIME ZONE NOT NULL,
                      updated_at TIMESTAMP WITH TIME ZONE NOT NULL)""");
            s.execute("CREATE INDEX IF NOT EXISTS delivery_submission ON delivery (partner_id, submission_id)");
            s.execute("CREATE INDEX IF NOT EXISTS delivery_state_time ON delivery (state, delivered_at)");
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Records a new submission as RECEIVING, or returns the record already held for this
     * partner and submission id (whatever its status) without changing it.
     */
    public Reservation reserve(Receipt receipt) {
        Optional<SubmissionRecord> existing = find(receipt.partnerId(), receipt.submissionId());
        if (existing.isPresent()) {
            return new Reservation(false, existing.get());
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO submission (partner_id, submission_id, receipt_id,"
                     + " received_at, content_digest, status, updated_at) VALUES (?,?,?,?,?,?,?)")) {
            ps.setString(1, receipt.partnerId());
            ps.setString(2, receipt.submissionId());
            ps.setString(3, receipt.receiptId());
            ps.setTimestamp(4, Timestamp.from(receipt.receivedAt()));
            ps.setString(5, receipt.contentDigest());
            ps.setString(6, SubmissionStatus.RECEIVING.name());
            ps.setTimestamp(7, Timestamp.from(clock.instant()));
            ps.executeUpdate();
            return new Reservation(true, new SubmissionRecord(receipt, SubmissionStatus.RECEIVING, List.of()));
        } catch (SQLException e) {
            // A concurrent identical submission won the insert: answer as a repeat.
            Optional<SubmissionRecord> raced = find(receipt.partnerId(), receipt.submissionId());
            if (raced.isPresent()) {
                return new Reservation(false, raced.get());
            }
            throw unavailable(e);
        }
    }

    /** The outcome of {@link #reserve}: whether this call made the record, and the record held. */
    public record Reservation(boolean created, SubmissionRecord record) {
    }

    /** Forgets a reservation whose submission never reached the broker, so that the partner may send it again. */
    public void release(String partnerId, String submissionId) {
        update("DELETE FROM submission WHERE partner_id = ? AND submission_id = ? AND status = 'RECEIVING'",
                partnerId, submissionId);
    }

    public void setStatus(String partnerId, String submissionId, SubmissionStatus status) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE submission SET status = ?, updated_at = ? WHERE partner_id = ? AND submission_id = ?")) {
            ps.setString(1, status.name());
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            ps.setString(3, partnerId);
            ps.setString(4, submissionId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Records a delivered package; a replay of the same package changes nothing. */
    public void recordDelivery(String partnerId, String submissionId, String recipient, String packageId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO delivery (package_id, partner_id, submission_id,"
                     + " recipient, state, delivered_at, updated_at) VALUES (?,?,?,?,?,?,?)")) {
            Timestamp now = Timestamp.from(clock.instant());
            ps.setString(1, packageId);
            ps.setString(2, partnerId);
            ps.setString(3, submissionId);
            ps.setString(4, recipient);
            ps.setString(5, DeliveryState.DELIVERED.name());
            ps.setTimestamp(6, now);
            ps.setTimestamp(7, now);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!isDuplicateKey(e)) {
                throw unavailable(e);
            }
        }
    }

    public void setDeliveryState(String packageId, DeliveryState state) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE delivery SET state = ?, updated_at = ? WHERE package_id = ?")) {
            ps.setString(1, state.name());
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            ps.setString(3, packageId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Moves a package from one state to another only if it is in {@code from}; true if it moved.
     * Used where a concurrent acknowledgement must win (expiry never overwrites ACKNOWLEDGED).
     */
    public boolean moveDeliveryState(String packageId, DeliveryState from, DeliveryState to) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE delivery SET state = ?, updated_at = ? WHERE package_id = ? AND state = ?")) {
            ps.setString(1, to.name());
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            ps.setString(3, packageId);
            ps.setString(4, from.name());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Every package still DELIVERED (not acknowledged, not expired) that was delivered before {@code cutoff}, oldest first. */
    public List<OpenDelivery> deliveredBefore(Instant cutoff) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT partner_id, submission_id, recipient, package_id,"
                     + " delivered_at FROM delivery WHERE state = ? AND delivered_at < ? ORDER BY delivered_at")) {
            ps.setString(1, DeliveryState.DELIVERED.name());
            ps.setTimestamp(2, Timestamp.from(cutoff));
            List<OpenDelivery> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new OpenDelivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
                }
            }
            return list;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** A package delivered to a recipient and not yet acknowledged: identifiers only. */
    public record OpenDelivery(String partnerId, String submissionId, String recipient, String packageId,
                               Instant deliveredAt) {
    }

    public Optional<SubmissionRecord> find(String partnerId, String submissionId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT receipt_id, received_at, content_digest, status"
                     + " FROM submission WHERE partner_id = ? AND submission_id = ?")) {
            ps.setString(1, partnerId);
            ps.setString(2, submissionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Receipt receipt = new Receipt(partnerId, submissionId, rs.getString(1),
                        rs.getTimestamp(2).toInstant(), rs.getString(3));
                SubmissionStatus status = SubmissionStatus.valueOf(rs.getString(4));
                return Optional.of(new SubmissionRecord(receipt, status, deliveries(c, partnerId, submissionId)));
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static List<SubmissionRecord.Delivery> deliveries(Connection c, String partnerId, String submissionId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT recipient, package_id, state FROM delivery"
                + " WHERE partner_id = ? AND submission_id = ? ORDER BY recipient")) {
            ps.setString(1, partnerId);
            ps.setString(2, submissionId);
            List<SubmissionRecord.Delivery> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new SubmissionRecord.Delivery(rs.getString(1), rs.getString(2),
                            DeliveryState.valueOf(rs.getString(3))));
                }
            }
            return list;
        }
    }

    /** The recipient a package was delivered to, if the hub made it. */
    public Optional<String> recipientOf(String packageId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT recipient FROM delivery WHERE package_id = ?")) {
            ps.setString(1, packageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    public boolean healthy() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void update(String sql, String... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static boolean isDuplicateKey(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    private static HubException unavailable(SQLException e) {
        return new HubException(ErrorCode.UNAVAILABLE, "The submission registry is not reachable now.", e);
    }
}
