package org.safeguarding.hub.linkstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.jdbc.SqlDialect;
import org.safeguarding.hub.registry.RegistryChange;

/**
 * The link store: per link token, the submissions that gave it (who sent each, its sector, area, categories, handling
 * code, receipt time, and which recipients were SHARED it), and the alerts raised over them. It never holds a value: a
 * token is a keyed HMAC of a normalised identifier, made while the submission was routed. It lives in the registry's
 * database and is written only through {@link #apply} by the one writer that applies committed steps, inside that
 * writer's transaction; everything it holds expires under the links' retention ({@link #expire}).
 */
public final class LinkStore {
    private final DataSource dataSource;

    /** @param dataSource the registry's database; the tables are made if missing */
    public LinkStore(DataSource dataSource) {
        this.dataSource = dataSource;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            createTables(s);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The link store's tables, made if missing (the registry calls this with its own). */
    public static void createTables(Statement s) throws SQLException {
        s.execute("""
                CREATE TABLE IF NOT EXISTS linked_submission (
                  partner_id VARCHAR(100) NOT NULL,
                  submission_id VARCHAR(100) NOT NULL,
                  receipt_id VARCHAR(36) NOT NULL,
                  sector VARCHAR(24) NOT NULL,
                  area VARCHAR(16),
                  categories VARCHAR(200) NOT NULL,
                  handling_code VARCHAR(1) NOT NULL,
                  received_at TIMESTAMP WITH TIME ZONE NOT NULL,
                  shared_with VARCHAR(4000) NOT NULL,
                  PRIMARY KEY (partner_id, submission_id))""");
        s.execute("CREATE INDEX IF NOT EXISTS linked_submission_time ON linked_submission (received_at)");
        s.execute("""
                CREATE TABLE IF NOT EXISTS link (
                  token VARCHAR(64) NOT NULL,
                  kind VARCHAR(24) NOT NULL,
                  key_id VARCHAR(16) NOT NULL,
                  partner_id VARCHAR(100) NOT NULL,
                  submission_id VARCHAR(100) NOT NULL,
                  received_at TIMESTAMP WITH TIME ZONE NOT NULL,
                  PRIMARY KEY (token, partner_id, submission_id))""");
        s.execute("CREATE INDEX IF NOT EXISTS link_by_submission ON link (partner_id, submission_id)");
        s.execute("CREATE INDEX IF NOT EXISTS link_time ON link (received_at)");
        // a token's newest submissions first, read without a sort
        s.execute("CREATE INDEX IF NOT EXISTS link_token_time ON link (token, received_at)");
        s.execute("""
                CREATE TABLE IF NOT EXISTS link_alert (
                  alert_id VARCHAR(36) NOT NULL PRIMARY KEY,
                  rule_id VARCHAR(64) NOT NULL,
                  revision INT NOT NULL,
                  kind VARCHAR(24) NOT NULL,
                  raised_at TIMESTAMP WITH TIME ZONE NOT NULL,
                  updated_at TIMESTAMP WITH TIME ZONE NOT NULL)""");
        s.execute("""
                CREATE TABLE IF NOT EXISTS link_alert_token (
                  alert_id VARCHAR(36) NOT NULL,
                  token VARCHAR(64) NOT NULL,
                  PRIMARY KEY (alert_id, token))""");
        s.execute("CREATE INDEX IF NOT EXISTS link_alert_by_token ON link_alert_token (token)");
        s.execute("""
                CREATE TABLE IF NOT EXISTS link_alert_member (
                  alert_id VARCHAR(36) NOT NULL,
                  partner_id VARCHAR(100) NOT NULL,
                  submission_id VARCHAR(100) NOT NULL,
                  PRIMARY KEY (alert_id, partner_id, submission_id))""");
        s.execute("CREATE INDEX IF NOT EXISTS link_alert_by_member ON link_alert_member (partner_id, submission_id)");
    }

    /** A submission as the link store knows it: facts and who was SHARED it, never content. */
    public record LinkedSubmission(String partnerId, String submissionId, String receiptId, String sector, String area,
                                   List<String> categories, String handlingCode, Instant receivedAt,
                                   Set<String> sharedWith) {
        public LinkedSubmission {
            categories = List.copyOf(categories);
            sharedWith = Set.copyOf(sharedWith);
        }

        public RegistryChange.Member member() {
            return new RegistryChange.Member(partnerId, submissionId);
        }
    }

    /** An alert as last applied: its revision and the submissions it links. */
    public record AlertState(String alertId, String ruleId, int revision, String kind, Instant raisedAt,
                             Instant updatedAt, Set<String> tokens, Set<RegistryChange.Member> members) {
        public AlertState {
            tokens = Set.copyOf(tokens);
            members = Set.copyOf(members);
        }
    }

    /** Applies a link change in the caller's transaction; applying it twice changes nothing. */
    public static void apply(Connection c, RegistryChange.Linked l) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO linked_submission (partner_id, submission_id,"
                + " receipt_id, sector, area, categories, handling_code, received_at, shared_with)"
                + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM linked_submission"
                + " WHERE partner_id = ? AND submission_id = ?)" + SqlDialect.ifAbsent(c))) {
            ps.setString(1, l.partnerId());
            ps.setString(2, l.submissionId());
            ps.setString(3, l.receiptId());
            ps.setString(4, l.sector());
            ps.setString(5, l.area());
            ps.setString(6, String.join(",", l.categories()));
            ps.setString(7, l.handlingCode());
            ps.setTimestamp(8, Timestamp.from(l.receivedAt()));
            ps.setString(9, String.join(",", l.sharedWith()));
            ps.setString(10, l.partnerId());
            ps.setString(11, l.submissionId());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO link (token, kind, key_id, partner_id,"
                + " submission_id, received_at) SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM link"
                + " WHERE token = ? AND partner_id = ? AND submission_id = ?)" + SqlDialect.ifAbsent(c))) {
            for (RegistryChange.Token t : l.tokens()) {
                ps.setString(1, t.token());
                ps.setString(2, t.kind());
                ps.setString(3, t.keyId());
                ps.setString(4, l.partnerId());
                ps.setString(5, l.submissionId());
                ps.setTimestamp(6, Timestamp.from(l.receivedAt()));
                ps.setString(7, t.token());
                ps.setString(8, l.partnerId());
                ps.setString(9, l.submissionId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Withdraws a submission's links in the caller's transaction (a withdrawal or a correction): its tokens, its facts
     * and its membership of alerts; an alert left without members goes too.
     */
    public static void retract(Connection c, String partnerId, String submissionId) throws SQLException {
        for (String sql : List.of("DELETE FROM link WHERE partner_id = ? AND submission_id = ?",
                "DELETE FROM link_alert_member WHERE partner_id = ? AND submission_id = ?",
                "DELETE FROM linked_submission WHERE partner_id = ? AND submission_id = ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, partnerId);
                ps.setString(2, submissionId);
                ps.executeUpdate();
            }
        }
        dropAlertsWithoutMembers(c);
    }

    /** A submission's tokens and link facts removed, its alert memberships kept (a correction re-links it). */
    public static void retractTokens(Connection c, String partnerId, String submissionId) throws SQLException {
        for (String sql : List.of("DELETE FROM link WHERE partner_id = ? AND submission_id = ?",
                "DELETE FROM linked_submission WHERE partner_id = ? AND submission_id = ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, partnerId);
                ps.setString(2, submissionId);
                ps.executeUpdate();
            }
        }
    }

    private static void dropAlertsWithoutMembers(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM link_alert_token WHERE alert_id NOT IN (SELECT alert_id FROM link_alert_member)");
            s.executeUpdate("DELETE FROM link_alert WHERE alert_id NOT IN (SELECT alert_id FROM link_alert_member)");
        }
    }

    /** Applies an alert revision in the caller's transaction: once, and never over a newer revision. */
    public static void apply(Connection c, RegistryChange.Alert a, Instant now) throws SQLException {
        int held;
        try (PreparedStatement ps = c.prepareStatement("SELECT revision FROM link_alert WHERE alert_id = ?")) {
            ps.setString(1, a.alertId());
            try (ResultSet rs = ps.executeQuery()) {
                held = rs.next() ? rs.getInt(1) : 0;
            }
        }
        if (held >= a.revision()) {
            return;
        }
        if (held == 0) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO link_alert (alert_id, rule_id, revision, kind,"
                    + " raised_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)" + SqlDialect.ifAbsent(c))) {
                ps.setString(1, a.alertId());
                ps.setString(2, a.ruleId());
                ps.setInt(3, a.revision());
                ps.setString(4, a.kind());
                ps.setTimestamp(5, Timestamp.from(a.raisedAt()));
                ps.setTimestamp(6, Timestamp.from(now));
                ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("UPDATE link_alert SET revision = ?, updated_at = ?"
                    + " WHERE alert_id = ? AND revision < ?")) {
                ps.setInt(1, a.revision());
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, a.alertId());
                ps.setInt(4, a.revision());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO link_alert_token (alert_id, token) SELECT ?, ?"
                + " WHERE NOT EXISTS (SELECT 1 FROM link_alert_token WHERE alert_id = ? AND token = ?)"
                + SqlDialect.ifAbsent(c))) {
            for (String t : a.tokens()) {
                ps.setString(1, a.alertId());
                ps.setString(2, t);
                ps.setString(3, a.alertId());
                ps.setString(4, t);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO link_alert_member (alert_id, partner_id,"
                + " submission_id) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM link_alert_member"
                + " WHERE alert_id = ? AND partner_id = ? AND submission_id = ?)" + SqlDialect.ifAbsent(c))) {
            for (RegistryChange.Member m : a.members()) {
                ps.setString(1, a.alertId());
                ps.setString(2, m.partnerId());
                ps.setString(3, m.submissionId());
                ps.setString(4, a.alertId());
                ps.setString(5, m.partnerId());
                ps.setString(6, m.submissionId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The submissions that gave any of these tokens and were received at or after {@code since}, oldest first. */
    public List<LinkedSubmission> linked(Collection<String> tokens, Instant since) {
        if (tokens.isEmpty()) {
            return List.of();
        }
        String marks = String.join(",", java.util.Collections.nCopies(tokens.size(), "?"));
        String sql = "SELECT DISTINCT s.partner_id, s.submission_id, s.receipt_id, s.sector, s.area, s.categories,"
                + " s.handling_code, s.received_at, s.shared_with FROM link l JOIN linked_submission s"
                + " ON s.partner_id = l.partner_id AND s.submission_id = l.submission_id"
                + " WHERE l.token IN (" + marks + ") AND l.received_at >= ? ORDER BY s.received_at, s.submission_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String t : tokens) {
                ps.setString(i++, t);
            }
            ps.setTimestamp(i, Timestamp.from(since));
            List<LinkedSubmission> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(submission(rs));
                }
            }
            return list;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * For each of these tokens, the newest submissions that gave it since {@code since}, at most {@code perToken} of
     * them, oldest first (a token with none is absent). The bound keeps an alert's evaluation cheap for a child or a
     * place reported many times: a link set is judged, and told, by its newest members.
     */
    public Map<String, List<LinkedSubmission>> linkedByToken(Collection<String> tokens, Instant since, int perToken) {
        Map<String, List<LinkedSubmission>> byToken = new LinkedHashMap<>();
        if (tokens.isEmpty()) {
            return byToken;
        }
        // ordered as the index (token, received_at) is, both descending, so that H2 reads only the rows it returns
        // ("index sorted", ties in the index's own order); each row's facts joined by primary key in the same
        // statement: one query per token, not one per linked submission
        String sql = "SELECT s.partner_id, s.submission_id, s.receipt_id, s.sector, s.area, s.categories,"
                + " s.handling_code, s.received_at, s.shared_with FROM link l JOIN linked_submission s"
                + " ON s.partner_id = l.partner_id AND s.submission_id = l.submission_id"
                + " WHERE l.token = ? AND l.received_at >= ? ORDER BY l.token DESC, l.received_at DESC"
                + " FETCH FIRST ? ROWS ONLY";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (String t : new LinkedHashSet<>(tokens)) {
                ps.setString(1, t);
                ps.setTimestamp(2, Timestamp.from(since));
                ps.setInt(3, perToken);
                List<LinkedSubmission> list = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(submission(rs));
                    }
                }
                if (!list.isEmpty()) {
                    java.util.Collections.reverse(list); // oldest first
                    byToken.put(t, list);
                }
            }
            return byToken;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** {@link #linkedByToken(Collection, Instant, int)} without a bound (the subject trace: every record held). */
    public Map<String, List<LinkedSubmission>> linkedByToken(Collection<String> tokens, Instant since) {
        return linkedByToken(tokens, since, Integer.MAX_VALUE);
    }

    /** The facts of these submissions, those the store still holds. */
    public List<LinkedSubmission> submissions(Collection<RegistryChange.Member> members) {
        List<LinkedSubmission> list = new ArrayList<>();
        if (members.isEmpty()) {
            return list;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT partner_id, submission_id, receipt_id, sector, area,"
                     + " categories, handling_code, received_at, shared_with FROM linked_submission"
                     + " WHERE partner_id = ? AND submission_id = ?")) {
            for (RegistryChange.Member m : members) {
                ps.setString(1, m.partnerId());
                ps.setString(2, m.submissionId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        list.add(submission(rs));
                    }
                }
            }
            return list;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The tokens a submission gave, with their kinds. */
    public List<RegistryChange.Token> tokensOf(String partnerId, String submissionId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT kind, key_id, token FROM link WHERE partner_id = ?"
                     + " AND submission_id = ? ORDER BY kind, token")) {
            ps.setString(1, partnerId);
            ps.setString(2, submissionId);
            List<RegistryChange.Token> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new RegistryChange.Token(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return list;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The alerts of a rule that link by any of these tokens, newest revision as applied. */
    public List<AlertState> alertsByToken(String ruleId, Collection<String> tokens) {
        if (tokens.isEmpty()) {
            return List.of();
        }
        String marks = String.join(",", java.util.Collections.nCopies(tokens.size(), "?"));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT DISTINCT t.alert_id FROM link_alert_token t"
                     + " JOIN link_alert a ON a.alert_id = t.alert_id WHERE a.rule_id = ? AND t.token IN (" + marks
                     + ") ORDER BY t.alert_id")) {
            ps.setString(1, ruleId);
            int i = 2;
            for (String t : tokens) {
                ps.setString(i++, t);
            }
            return alerts(c, ps);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The alerts a submission joined. */
    public List<AlertState> alertsOf(String partnerId, String submissionId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT alert_id FROM link_alert_member WHERE partner_id = ?"
                     + " AND submission_id = ? ORDER BY alert_id")) {
            ps.setString(1, partnerId);
            ps.setString(2, submissionId);
            return alerts(c, ps);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** One alert by id. */
    public Optional<AlertState> alert(String alertId) {
        try (Connection c = dataSource.getConnection()) {
            return alert(c, alertId);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The receipt time of the oldest submission still held, if any: what retention has not removed. */
    public Optional<Instant> oldestHeld() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT MIN(received_at) FROM linked_submission");
             ResultSet rs = ps.executeQuery()) {
            Timestamp t = rs.next() ? rs.getTimestamp(1) : null;
            return Optional.ofNullable(t).map(Timestamp::toInstant);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** How many tokens the store holds (a gauge for metrics and benchmarks). */
    public long linkCount() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM link");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Removes every link and linked submission received before {@code cutoff}, and the alerts whose members are all
     * gone; at most {@code limit} submissions per call. Returns how many submissions were removed.
     */
    public int expire(Instant cutoff, int limit) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<String[]> old = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT partner_id, submission_id FROM linked_submission"
                        + " WHERE received_at < ? ORDER BY received_at")) {
                    ps.setTimestamp(1, Timestamp.from(cutoff));
                    ps.setMaxRows(limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            old.add(new String[] {rs.getString(1), rs.getString(2)});
                        }
                    }
                }
                for (String sql : List.of("DELETE FROM link WHERE partner_id = ? AND submission_id = ?",
                        "DELETE FROM link_alert_member WHERE partner_id = ? AND submission_id = ?",
                        "DELETE FROM linked_submission WHERE partner_id = ? AND submission_id = ?")) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (String[] k : old) {
                            ps.setString(1, k[0]);
                            ps.setString(2, k[1]);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                dropAlertsWithoutMembers(c);
                c.commit();
                return old.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The alerts whose ids the query gives, as last applied. */
    private static List<AlertState> alerts(Connection c, PreparedStatement ids) throws SQLException {
        List<String> found = new ArrayList<>();
        try (ResultSet rs = ids.executeQuery()) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        List<AlertState> list = new ArrayList<>();
        for (String id : found) {
            alert(c, id).ifPresent(list::add);
        }
        return list;
    }

    private static Optional<AlertState> alert(Connection c, String alertId) throws SQLException {
        String ruleId;
        String kind;
        int revision;
        Instant raised;
        Instant updated;
        try (PreparedStatement ps = c.prepareStatement("SELECT rule_id, revision, kind, raised_at, updated_at"
                + " FROM link_alert WHERE alert_id = ?")) {
            ps.setString(1, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                ruleId = rs.getString(1);
                revision = rs.getInt(2);
                kind = rs.getString(3);
                raised = rs.getTimestamp(4).toInstant();
                updated = rs.getTimestamp(5).toInstant();
            }
        }
        Set<String> tokens = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT token FROM link_alert_token WHERE alert_id = ?")) {
            ps.setString(1, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tokens.add(rs.getString(1));
                }
            }
        }
        Set<RegistryChange.Member> members = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT partner_id, submission_id FROM link_alert_member"
                + " WHERE alert_id = ? ORDER BY partner_id, submission_id")) {
            ps.setString(1, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(new RegistryChange.Member(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return Optional.of(new AlertState(alertId, ruleId, revision, kind, raised, updated, tokens, members));
    }

    private static LinkedSubmission submission(ResultSet rs) throws SQLException {
        return submission(rs, 1);
    }

    private static LinkedSubmission submission(ResultSet rs, int from) throws SQLException {
        return new LinkedSubmission(rs.getString(from), rs.getString(from + 1), rs.getString(from + 2),
                rs.getString(from + 3), rs.getString(from + 4), split(rs.getString(from + 5)),
                rs.getString(from + 6), rs.getTimestamp(from + 7).toInstant(),
                new LinkedHashSet<>(split(rs.getString(from + 8))));
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
    }

    private static HubException unavailable(SQLException e) {
        return new HubException(ErrorCode.UNAVAILABLE, "The link store is not reachable now.", e);
    }
}
