package org.safeguarding.hub.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.safeguarding.hub.jdbc.Durability;
import org.safeguarding.hub.jdbc.H2Housekeeping;
import org.safeguarding.hub.jdbc.SqlDialect;

/**
 * Applies the {@link RegistryChange}s of committed steps to the registry's tables, in the order the steps committed,
 * in one database transaction per call, and then forces an embedded H2 database to disk, so that the broker messages
 * that carried them may be acknowledged. Every change is idempotent: a status only moves forward, a receipt once
 * accepted is kept, a package is recorded once.
 */
public final class RegistryProjection {
    private final DataSource dataSource;
    private final Clock clock;

    /** @param dataSource the registry's own database, its tables made by {@link SubmissionRegistry} */
    public RegistryProjection(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Applies every change, or none (an exception: the caller tries again later with the same changes). */
    public void apply(List<RegistryChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (RegistryChange change : changes) {
                    apply(c, change);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            Durability.sync(c); // an embedded H2 database writes committed data lazily
            tidy(c);
        } catch (SQLException e) {
            throw new RegistryUnavailableException("the registry could not record the steps: " + e.getMessage(), e);
        }
    }

    private void apply(Connection c, RegistryChange change) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        if (change instanceof RegistryChange.Accepted a) {
            accept(c, a.receipt(), now);
        } else if (change instanceof RegistryChange.Status s) {
            // a submission moves forward only: routing ends it once; a withdrawal follows only an ended routing
            // and a correction that reaches a recipient at last makes an UNROUTED submission ROUTED
            String from = s.status() == SubmissionStatus.WITHDRAWN ? "('ROUTED', 'UNROUTED', 'FAILED')"
                    : s.status() == SubmissionStatus.ROUTED ? "('RECEIVING', 'ACCEPTED', 'UNROUTED')"
                    : "('RECEIVING', 'ACCEPTED')";
            try (PreparedStatement ps = c.prepareStatement("UPDATE submission SET status = ?, updated_at = ?"
                    + " WHERE partner_id = ? AND submission_id = ? AND status IN " + from)) {
                ps.setString(1, s.status().name());
                ps.setTimestamp(2, now);
                ps.setString(3, s.partnerId());
                ps.setString(4, s.submissionId());
                ps.executeUpdate();
            }
        } else if (change instanceof RegistryChange.Delivered d) {
            deliver(c, d, now);
        } else if (change instanceof RegistryChange.Linked l) {
            org.safeguarding.hub.linkstore.LinkStore.apply(c, l);
        } else if (change instanceof RegistryChange.Facts f) {
            DecisionFactStore.apply(c, f);
        } else if (change instanceof RegistryChange.Retokened t) {
            org.safeguarding.hub.linkstore.LinkStore.retractTokens(c, t.partnerId(), t.submissionId());
        } else if (change instanceof RegistryChange.Unlinked u) {
            org.safeguarding.hub.linkstore.LinkStore.retract(c, u.partnerId(), u.submissionId());
        } else if (change instanceof RegistryChange.Alert a) {
            org.safeguarding.hub.linkstore.LinkStore.apply(c, a, now.toInstant());
        } else if (change instanceof RegistryChange.Revised r) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE submission SET revision = ?, revision_digest = ?,"
                    + " updated_at = ? WHERE partner_id = ? AND submission_id = ? AND revision < ?")) {
                ps.setInt(1, r.revision());
                ps.setString(2, r.contentDigest());
                ps.setTimestamp(3, now);
                ps.setString(4, r.partnerId());
                ps.setString(5, r.submissionId());
                ps.setInt(6, r.revision());
                ps.executeUpdate();
            }
        } else if (change instanceof RegistryChange.Deadline d) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET urgency = ?, ack_deadline = ?,"
                    + " escalation_area = ? WHERE package_id = ? AND escalations = 0")) {
                ps.setString(1, d.urgency());
                ps.setTimestamp(2, d.deadline() == null ? null : Timestamp.from(d.deadline()));
                ps.setString(3, d.area());
                ps.setString(4, d.packageId());
                ps.executeUpdate();
            }
        } else if (change instanceof RegistryChange.Escalated e) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET escalations = ?, ack_deadline = ?,"
                    + " updated_at = ? WHERE package_id = ? AND escalations < ?")) {
                ps.setInt(1, e.level());
                ps.setTimestamp(2, e.nextDeadline() == null ? null : Timestamp.from(e.nextDeadline()));
                ps.setTimestamp(3, now);
                ps.setString(4, e.packageId());
                ps.setInt(5, e.level());
                ps.executeUpdate();
            }
        } else if (change instanceof RegistryChange.NonDelivery n) {
            SubmissionRegistry.insertNonDelivery(c, n);
        } else if (change instanceof RegistryChange.Shown v) {
            SubmissionRegistry.insertShown(c, v);
        } else if (change instanceof RegistryChange.PackageState p) {
            // a recall or an update also follows an acknowledged package (its recipient held it), and a recall one
            // that an update replaced; nothing else moves twice
            String from = p.state() == DeliveryState.RECALLED ? "('DELIVERED', 'ACKNOWLEDGED', 'UPDATED')"
                    : p.state() == DeliveryState.UPDATED ? "('DELIVERED', 'ACKNOWLEDGED')" : "('DELIVERED')";
            try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET state = ?, updated_at = ?"
                    + " WHERE package_id = ? AND state IN " + from)) {
                ps.setString(1, p.state().name());
                ps.setTimestamp(2, now);
                ps.setString(3, p.packageId());
                ps.executeUpdate();
            }
        }
    }

    /**
     * Every forced commit leaves partly live chunks in an embedded H2 file: the sparsest are rewritten at most every
     * 10 s, so that the registry does not grow while the hub runs.
     */
    private void tidy(Connection c) throws SQLException {
        long now = System.nanoTime();
        if (tidied && now - lastTidyNanos < TIDY_EVERY_NANOS) {
            return;
        }
        tidied = true;
        lastTidyNanos = now;
        H2Housekeeping.compact(c, 80, 4 * 1024 * 1024);
    }

    private static final long TIDY_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    private long lastTidyNanos;
    private boolean tidied;

    /** The committed receipt replaces a reservation (whose receipt may differ after a crash), or is recorded anew. */
    private static void accept(Connection c, Receipt r, Timestamp now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE submission SET receipt_id = ?, received_at = ?,"
                + " content_digest = ?, status = 'ACCEPTED', updated_at = ?"
                + " WHERE partner_id = ? AND submission_id = ? AND status = 'RECEIVING'")) {
            ps.setString(1, r.receiptId());
            ps.setTimestamp(2, Timestamp.from(r.receivedAt()));
            ps.setString(3, r.contentDigest());
            ps.setTimestamp(4, now);
            ps.setString(5, r.partnerId());
            ps.setString(6, r.submissionId());
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO submission (partner_id, submission_id, receipt_id,"
                + " received_at, content_digest, status, updated_at) SELECT ?, ?, ?, ?, ?, 'ACCEPTED', ? WHERE NOT EXISTS"
                + " (SELECT 1 FROM submission WHERE partner_id = ? AND submission_id = ?)" + SqlDialect.ifAbsent(c))) {
            ps.setString(1, r.partnerId());
            ps.setString(2, r.submissionId());
            ps.setString(3, r.receiptId());
            ps.setTimestamp(4, Timestamp.from(r.receivedAt()));
            ps.setString(5, r.contentDigest());
            ps.setTimestamp(6, now);
            ps.setString(7, r.partnerId());
            ps.setString(8, r.submissionId());
            ps.executeUpdate();
        }
    }

    private static void deliver(Connection c, RegistryChange.Delivered d, Timestamp now) throws SQLException {
        SubmissionRegistry.insertDelivery(c, new DeliveryRecord(d.partnerId(), d.submissionId(), d.recipient(),
                d.packageId(), d.routedAt(), d.categories(), d.size(), d.kind()), now, d.area());
    }

}
