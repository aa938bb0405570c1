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
import org.safeguarding.hub.jdbc.SqlDialect;

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
            // a partner asking for a submission id that another partner used: found without a scan, to be audited
            s.execute("CREATE INDEX IF NOT EXISTS submission_by_id ON submission (submission_id)");
            s.execute("CREATE INDEX IF NOT EXISTS delivery_state_time ON delivery (state, delivered_at)");
            migrateDeliveryIndex(s);
            migrateRevisions(s);
            org.safeguarding.hub.linkstore.LinkStore.createTables(s);
            DecisionFactStore.createTables(s);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Version 2 of the delivery table: what a recipient's inbox lists comes from here, not from the broker. A database
     * made before it gains the columns (H2 and PostgreSQL both know {@code ADD COLUMN IF NOT EXISTS}); its rows are
     * taken as routed when they were recorded, of kind {@code package}, with no categories or size known.
     */
    private static void migrateDeliveryIndex(Statement s) throws SQLException {
        s.execute("ALTER TABLE delivery ADD COLUMN IF NOT EXISTS routed_at TIMESTAMP WITH TIME ZONE");
        s.execute("ALTER TABLE delivery ADD COLUMN IF NOT EXISTS categories VARCHAR(4000) DEFAULT '' NOT NULL");
        s.execute("ALTER TABLE delivery ADD COLUMN IF NOT EXISTS size_bytes BIGINT DEFAULT 0 NOT NULL");
        s.execute("ALTER TABLE delivery ADD COLUMN IF NOT EXISTS kind VARCHAR(16) DEFAULT 'package' NOT NULL");
        s.execute("UPDATE delivery SET routed_at = delivered_at WHERE routed_at IS NULL");
        // a recipient's pending packages, oldest first, read in pages by (routed_at, package_id)
        s.execute("CREATE INDEX IF NOT EXISTS delivery_inbox ON delivery (recipient, state, routed_at, package_id)");
    }

    /**
     * Version 3: corrections. A submission's applied revision (0: as first routed) and the digest of its content; and
     * what each package showed its recipient, as keyed digests of its visible groups, to decide a correction's updates.
     */
    private static void migrateRevisions(Statement s) throws SQLException {
        s.execute("ALTER TABLE submission ADD COLUMN IF NOT EXISTS revision INT DEFAULT 0 NOT NULL");
        s.execute("ALTER TABLE submission ADD COLUMN IF NOT EXISTS revision_digest VARCHAR(64)");
        s.execute("""
                CREATE TABLE IF NOT EXISTS shown_view (
                  package_id VARCHAR(36) NOT NULL PRIMARY KEY,
                  partner_id VARCHAR(100) NOT NULL,
                  submission_id VARCHAR(100) NOT NULL,
                  recipient VARCHAR(100) NOT NULL,
                  revision INT NOT NULL,
                  groups_shown VARCHAR(2000) NOT NULL)""");
        s.execute("CREATE INDEX IF NOT EXISTS shown_view_submission ON shown_view (partner_id, submission_id)");
        s.execute("""
                CREATE TABLE IF NOT EXISTS non_delivery (
                  report_id VARCHAR(36) NOT NULL PRIMARY KEY,
                  partner_id VARCHAR(100) NOT NULL,
                  submission_id VARCHAR(100) NOT NULL,
                  recipient VARCHAR(100) NOT NULL,
                  package_id VARCHAR(36) NOT NULL,
                  event VARCHAR(16) NOT NULL,
                  occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
                  outbound_written BOOLEAN DEFAULT FALSE NOT NULL)""");
        s.execute("CREATE INDEX IF NOT EXISTS non_delivery_partner ON non_delivery (partner_id, occurred_at, report_id)");
        s.execute("CREATE INDEX IF NOT EXISTS non_delivery_outbound ON non_delivery (outbound_written, occurred_at)");
        // urgency: the acknowledgement deadline of an urgent package, and how often it was escalated
        s.execute("ALTER TABLE delivery ADD COLUMN IF NOT EXISTS urgency VARCHAR(16)");
        s.execute("ALTER TABLE delivery ADD COLUMN IF NOT EXISTS ack_deadline TIMESTAMP WITH TIME ZONE");
        s.execute("ALTER TABLE delivery ADD COLUMN IF NOT EXISTS escalations INT DEFAULT 0 NOT NULL");
        s.execute("ALTER TABLE delivery ADD COLUMN IF NOT EXISTS escalation_area VARCHAR(16)");
        s.execute("CREATE INDEX IF NOT EXISTS delivery_deadline ON delivery (state, ack_deadline)");
        s.execute("""
                CREATE TABLE IF NOT EXISTS webhook (
                  recipient VARCHAR(100) NOT NULL PRIMARY KEY,
                  url VARCHAR(500) NOT NULL,
                  registered_at TIMESTAMP WITH TIME ZONE NOT NULL)""");
    }

    /** Registers (or replaces) the recipient's webhook for urgent-package notices; on disk when it returns. */
    public void registerWebhook(String recipient, String url) {
        try (Connection c = dataSource.getConnection()) {
            // one statement, so that two nodes registering for the same recipient at once both succeed
            try (PreparedStatement ps = c.prepareStatement(SqlDialect.upsert(c, "webhook",
                    List.of("recipient", "url", "registered_at"), List.of("recipient")))) {
                ps.setString(1, recipient);
                ps.setString(2, url);
                ps.setTimestamp(3, Timestamp.from(clock.instant()));
                ps.executeUpdate();
            }
            org.safeguarding.hub.jdbc.Durability.sync(c);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Removes the recipient's webhook; whether it had one. */
    public boolean removeWebhook(String recipient) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM webhook WHERE recipient = ?")) {
            ps.setString(1, recipient);
            boolean had = ps.executeUpdate() > 0;
            org.safeguarding.hub.jdbc.Durability.sync(c);
            return had;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The recipient's webhook URL, if it registered one. */
    public Optional<String> webhookUrl(String recipient) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT url FROM webhook WHERE recipient = ?")) {
            ps.setString(1, recipient);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The area its packages recorded for a submission (its MASH is where a recall escalates), if any did. */
    public Optional<String> areaOf(String partnerId, String submissionId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT escalation_area FROM delivery WHERE partner_id = ?"
                     + " AND submission_id = ? AND escalation_area IS NOT NULL FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, partnerId);
            ps.setString(2, submissionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** A pending package past its acknowledgement deadline. */
    public record Overdue(String partnerId, String submissionId, String recipient, String packageId, String kind,
                          String urgency, Instant deadline, int escalations, String area) {
    }

    /** Up to {@code limit} pending packages whose deadline is at or before {@code now}, the most overdue first. */
    public List<Overdue> overdue(Instant now, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT partner_id, submission_id, recipient, package_id, kind,"
                     + " urgency, ack_deadline, escalations, escalation_area FROM delivery WHERE state = 'DELIVERED'"
                     + " AND ack_deadline IS NOT NULL AND ack_deadline <= ? ORDER BY ack_deadline, package_id LIMIT ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setInt(2, limit);
            List<Overdue> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new Overdue(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getInt(8),
                            rs.getString(9)));
                }
            }
            return list;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** A non-delivery report as a partner reads it: ids, what happened (a code) and when. */
    public record NonDeliveryReport(String reportId, String partnerId, String submissionId, String recipient,
                                    String packageId, String event, Instant occurredAt) {
    }

    private static final String NDR_COLUMNS = "report_id, partner_id, submission_id, recipient, package_id, event,"
            + " occurred_at";

    /**
     * Up to {@code limit} of a partner's non-delivery reports, oldest first, after report {@code afterReportId}
     * ({@code null}: from the first; one that is not the partner's: an empty page).
     */
    public List<NonDeliveryReport> nonDeliveryPage(String partnerId, String afterReportId, int limit) {
        try (Connection c = dataSource.getConnection()) {
            String sql = "SELECT " + NDR_COLUMNS + " FROM non_delivery WHERE partner_id = ?";
            Timestamp afterAt = null;
            if (afterReportId != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT occurred_at FROM non_delivery WHERE report_id = ? AND partner_id = ?")) {
                    ps.setString(1, afterReportId);
                    ps.setString(2, partnerId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return List.of();
                        }
                        afterAt = rs.getTimestamp(1);
                    }
                }
                sql += " AND (occurred_at > ? OR (occurred_at = ? AND report_id > ?))";
            }
            try (PreparedStatement ps = c.prepareStatement(sql + " ORDER BY occurred_at, report_id LIMIT ?")) {
                int i = 1;
                ps.setString(i++, partnerId);
                if (afterAt != null) {
                    ps.setTimestamp(i++, afterAt);
                    ps.setTimestamp(i++, afterAt);
                    ps.setString(i++, afterReportId);
                }
                ps.setInt(i, limit);
                return nonDeliveries(ps);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The non-delivery report with this id, if there is one. */
    public Optional<NonDeliveryReport> nonDeliveryReport(String reportId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + NDR_COLUMNS + " FROM non_delivery WHERE report_id = ?")) {
            ps.setString(1, reportId);
            return nonDeliveries(ps).stream().findFirst();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Up to {@code limit} reports not yet written to their partner's SFTP {@code /outbound/}, oldest first. */
    public List<NonDeliveryReport> outboundPending(int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + NDR_COLUMNS + " FROM non_delivery"
                     + " WHERE outbound_written = FALSE ORDER BY occurred_at, report_id LIMIT ?")) {
            ps.setInt(1, limit);
            return nonDeliveries(ps);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The report is in its partner's {@code /outbound/} (on disk), or its partner has no SFTP drop. */
    public void markOutboundWritten(String reportId) {
        update("UPDATE non_delivery SET outbound_written = TRUE WHERE report_id = ?", reportId);
    }

    private static List<NonDeliveryReport> nonDeliveries(PreparedStatement ps) throws SQLException {
        List<NonDeliveryReport> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(new NonDeliveryReport(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
            }
        }
        return list;
    }

    /** The insert of a {@link RegistryChange.NonDelivery}, inside a caller's transaction: once per report id. */
    static void insertNonDelivery(Connection c, RegistryChange.NonDelivery n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO non_delivery (" + NDR_COLUMNS + ")"
                + " SELECT ?,?,?,?,?,?,? WHERE NOT EXISTS (SELECT 1 FROM non_delivery WHERE report_id = ?)"
                + SqlDialect.ifAbsent(c))) {
            ps.setString(1, n.reportId());
            ps.setString(2, n.partnerId());
            ps.setString(3, n.submissionId());
            ps.setString(4, n.recipient());
            ps.setString(5, n.packageId());
            ps.setString(6, n.event());
            ps.setTimestamp(7, Timestamp.from(n.occurredAt()));
            ps.setString(8, n.reportId());
            ps.executeUpdate();
        }
    }

    /** A correction applied to a submission: its revision and the digest of its content. */
    public record AppliedRevision(int revision, String contentDigest) {
        public static final AppliedRevision ORIGINAL = new AppliedRevision(0, null);
    }

    /** The last correction applied to a submission ({@link AppliedRevision#ORIGINAL} when none was). */
    public AppliedRevision revision(String partnerId, String submissionId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT revision, revision_digest FROM submission"
                     + " WHERE partner_id = ? AND submission_id = ?")) {
            ps.setString(1, partnerId);
            ps.setString(2, submissionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0 ? new AppliedRevision(rs.getInt(1), rs.getString(2))
                        : AppliedRevision.ORIGINAL;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** What a recipient was last shown of a submission: the package, its revision, its groups' keyed digests. */
    public record ShownView(String recipient, String packageId, int revision, java.util.Map<String, String> groups) {
    }

    /** Per recipient, the newest view of the submission it was shown (the highest revision), by recipient id. */
    public java.util.Map<String, ShownView> shownViews(String partnerId, String submissionId) {
        java.util.Map<String, ShownView> views = new java.util.TreeMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT recipient, package_id, revision, groups_shown"
                     + " FROM shown_view WHERE partner_id = ? AND submission_id = ? ORDER BY revision")) {
            ps.setString(1, partnerId);
            ps.setString(2, submissionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    views.put(rs.getString(1), new ShownView(rs.getString(1), rs.getString(2), rs.getInt(3),
                            decodeGroups(rs.getString(4))));
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return views;
    }

    /** {@code NAME=digest;NAME=digest}, names and digests being codes without {@code =} or {@code ;}. */
    static String encodeGroups(java.util.Map<String, String> groups) {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(groups).forEach((k, v) -> {
            if (k.isEmpty() || (k + v).indexOf('=') >= 0 || (k + v).indexOf(';') >= 0) {
                throw new IllegalArgumentException("a group name or digest holds = or ;");
            }
            b.append(b.length() == 0 ? "" : ";").append(k).append('=').append(v);
        });
        return b.toString();
    }

    static java.util.Map<String, String> decodeGroups(String text) {
        java.util.Map<String, String> groups = new java.util.TreeMap<>();
        if (text != null && !text.isEmpty()) {
            for (String part : text.split(";")) {
                int eq = part.indexOf('=');
                groups.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return groups;
    }

    /** The insert of a {@link RegistryChange.Shown}, inside a caller's transaction: nothing if the package has one. */
    static void insertShown(Connection c, RegistryChange.Shown v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO shown_view (package_id, partner_id, submission_id,"
                + " recipient, revision, groups_shown) SELECT ?,?,?,?,?,? WHERE NOT EXISTS"
                + " (SELECT 1 FROM shown_view WHERE package_id = ?)" + SqlDialect.ifAbsent(c))) {
            ps.setString(1, v.packageId());
            ps.setString(2, v.partnerId());
            ps.setString(3, v.submissionId());
            ps.setString(4, v.recipient());
            ps.setInt(5, v.revision());
            ps.setString(6, encodeGroups(v.groups()));
            ps.setString(7, v.packageId());
            ps.executeUpdate();
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

    /**
     * Records a delivered package with the defaults of an older caller: routed now, kind {@code package}, no
     * categories or size known. A replay of the same package changes nothing.
     */
    public void recordDelivery(String partnerId, String submissionId, String recipient, String packageId) {
        recordDelivery(new DeliveryRecord(partnerId, submissionId, recipient, packageId, clock.instant(), List.of(), 0,
                DeliveryRecord.PACKAGE));
    }

    /**
     * Records a package delivered to its recipient's inbox, DELIVERED (pending) from now on; idempotent: a replay of
     * the same package id changes nothing, whatever it carries and whatever state the package reached since.
     */
    public void recordDelivery(DeliveryRecord d) {
        try (Connection c = dataSource.getConnection()) {
            insertDelivery(c, d, Timestamp.from(clock.instant()));
        } catch (SQLException e) {
            if (!isDuplicateKey(e)) {
                throw unavailable(e);
            }
        }
    }

    /** The insert of {@link #recordDelivery}, inside a caller's transaction: nothing if the package is recorded. */
    static void insertDelivery(Connection c, DeliveryRecord d, Timestamp now) throws SQLException {
        insertDelivery(c, d, now, null);
    }

    /** {@link #insertDelivery} with the submission's area (null: unknown). */
    static void insertDelivery(Connection c, DeliveryRecord d, Timestamp now, String area) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivery (package_id, partner_id, submission_id,"
                + " recipient, state, delivered_at, updated_at, routed_at, categories, size_bytes, kind, escalation_area)"
                + " SELECT ?,?,?,?,?,?,?,?,?,?,?,? WHERE NOT EXISTS (SELECT 1 FROM delivery WHERE package_id = ?)"
                + SqlDialect.ifAbsent(c))) {
            ps.setString(1, d.packageId());
            ps.setString(2, d.partnerId());
            ps.setString(3, d.submissionId());
            ps.setString(4, d.recipient());
            ps.setString(5, DeliveryState.DELIVERED.name());
            ps.setTimestamp(6, now);
            ps.setTimestamp(7, now);
            ps.setTimestamp(8, Timestamp.from(d.routedAt()));
            ps.setString(9, String.join(",", d.categories()));
            ps.setLong(10, d.size());
            ps.setString(11, d.kind());
            ps.setString(12, area);
            ps.setString(13, d.packageId());
            ps.executeUpdate();
        }
    }

    /**
     * Up to {@code limit} of a recipient's pending (DELIVERED) packages, oldest first by routing time and then package
     * id, starting after package {@code afterPackageId} ({@code null}: from the first). The position of
     * {@code afterPackageId} holds even when that package is no longer pending (acknowledged or expired while the
     * recipient paged), so a recipient that acknowledges as it reads misses nothing; a package id this recipient
     * never had gives an empty page (see {@link #recipientOf} to tell it apart).
     */
    public List<DeliveryRecord> pendingPage(String recipient, String afterPackageId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        try (Connection c = dataSource.getConnection()) {
            Timestamp afterRoutedAt = null;
            if (afterPackageId != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT routed_at FROM delivery WHERE package_id = ? AND recipient = ?")) {
                    ps.setString(1, afterPackageId);
                    ps.setString(2, recipient);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return List.of();
                        }
                        afterRoutedAt = rs.getTimestamp(1);
                    }
                }
            }
            return pendingPage(c, recipient, afterRoutedAt, afterPackageId, limit);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static List<DeliveryRecord> pendingPage(Connection c, String recipient, Timestamp afterRoutedAt,
                                                    String afterPackageId, int limit) throws SQLException {
        String sql = "SELECT partner_id, submission_id, recipient, package_id, routed_at, categories, size_bytes, kind,"
                + " escalation_area, urgency FROM delivery WHERE recipient = ? AND state = ?"
                + (afterRoutedAt == null ? "" : " AND routed_at >= ? AND (routed_at > ? OR package_id > ?)")
                + " ORDER BY routed_at, package_id FETCH FIRST ? ROWS ONLY";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, recipient);
            ps.setString(i++, DeliveryState.DELIVERED.name());
            if (afterRoutedAt != null) {
                ps.setTimestamp(i++, afterRoutedAt);
                ps.setTimestamp(i++, afterRoutedAt);
                ps.setString(i++, afterPackageId);
            }
            ps.setInt(i, limit);
            List<DeliveryRecord> page = new ArrayList<>(Math.min(limit, 1024));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String categories = rs.getString(6);
                    page.add(new DeliveryRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(),
                            categories == null || categories.isEmpty() ? List.of() : List.of(categories.split(",")),
                            rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10)));
                }
            }
            return page;
        }
    }

    /** True if package {@code packageId} was delivered to {@code recipient} and is still pending (DELIVERED). */
    public boolean isPending(String recipient, String packageId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT 1 FROM delivery WHERE package_id = ? AND recipient = ? AND state = ?")) {
            ps.setString(1, packageId);
            ps.setString(2, recipient);
            ps.setString(3, DeliveryState.DELIVERED.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** How many packages are pending (DELIVERED) in a recipient's inbox. */
    public long pendingCount(String recipient) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT COUNT(*) FROM delivery WHERE recipient = ? AND state = ?")) {
            ps.setString(1, recipient);
            ps.setString(2, DeliveryState.DELIVERED.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw unavailable(e);
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
        try (PreparedStatement ps = c.prepareStatement("SELECT recipient, package_id, state, kind, escalations FROM delivery"
                + " WHERE partner_id = ? AND submission_id = ? ORDER BY recipient, routed_at, package_id")) {
            ps.setString(1, partnerId);
            ps.setString(2, submissionId);
            List<SubmissionRecord.Delivery> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new SubmissionRecord.Delivery(rs.getString(1), rs.getString(2),
                            DeliveryState.valueOf(rs.getString(3)), rs.getString(4), rs.getInt(5)));
                }
            }
            return list;
        }
    }

    /** The partners (other than {@code except}) that sent a submission with this id, if any did. */
    public List<String> otherSenders(String submissionId, String except) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT partner_id FROM submission WHERE submission_id = ?"
                     + " AND partner_id <> ? AND status <> 'RECEIVING' ORDER BY partner_id")) {
            ps.setString(1, submissionId);
            ps.setString(2, except);
            List<String> partners = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    partners.add(rs.getString(1));
                }
            }
            return partners;
        } catch (SQLException e) {
            throw unavailable(e);
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
