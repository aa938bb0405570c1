package org.safeguarding.hub.housekeeping;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership as a PostgreSQL session advisory lock ({@code pg_try_advisory_lock}) held on a connection of its own,
 * outside every pool: the lock lives exactly as long as that session.
 *
 * <ul>
 *   <li>A node that is killed (kill -9, a crash) closes its socket with the process: the server ends the session at
 *       once and the lock is free for the next node's try.</li>
 *   <li>A node cut off from the server finds out at its next check: each statement waits at most the
 *       {@code socketTimeout} ({@link LeadershipTimings}); a failure counts as the lock lost, and the session is
 *       closed once the node's cluster-once routes have stopped.</li>
 *   <li>The server side of the same cut: the session asks for TCP keepalives after
 *       {@link LeadershipTimings#serverKeepaliveIdleSeconds()} of silence (twice the client's detection time), so that
 *       the server frees the lock only after the old leader has given up.</li>
 * </ul>
 *
 * <p>The check asks {@code pg_locks} whether this session still holds the key, so a lock released by anything else
 * (an operator's {@code pg_advisory_unlock_all}, a terminated backend) is noticed too.
 */
public final class PostgresAdvisoryLock implements LeaderLock {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresAdvisoryLock.class);
    /** The advisory-lock key of the hub's housekeeping ("HUB_HK" and 1), the same on every node of one database. */
    public static final long HOUSEKEEPING_KEY = 0x4855_425F_484B_0001L;
    private static final String HELD = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            + " AND pid = pg_backend_pid() AND objsubid = 1 AND classid::bigint = ? AND objid::bigint = ?";

    private final String url;
    private final String user;
    private final String password;
    private final long key;
    private final LeadershipTimings timings;
    private final String node;
    private Connection connection; // the session that holds (or tries to take) the lock

    public PostgresAdvisoryLock(String url, String user, String password, long key, LeadershipTimings timings,
                                String node) {
        this.url = Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("an advisory lock needs a PostgreSQL URL");
        }
        this.user = user;
        this.password = password;
        this.key = key;
        this.timings = Objects.requireNonNull(timings, "timings");
        this.node = Objects.requireNonNull(node, "node");
    }

    @Override
    public synchronized boolean tryAcquire() {
        try {
            if (connection == null) {
                connection = connect();
            }
            try (PreparedStatement p = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                p.setLong(1, key);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("the housekeeping lock could not be tried: {}", e.getMessage());
            drop();
            return false;
        }
    }

    @Override
    public synchronized boolean stillHeld() {
        if (connection == null) {
            return false;
        }
        try (PreparedStatement p = connection.prepareStatement(HELD)) {
            p.setLong(1, key >>> 32);
            p.setLong(2, key & 0xFFFF_FFFFL);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next() && rs.getLong(1) > 0) {
                    return true;
                }
            }
            LOG.warn("the housekeeping lock is no longer held by this session");
        } catch (SQLException | RuntimeException e) {
            LOG.warn("the housekeeping lock's connection failed: {}", e.getMessage());
        }
        return false; // the session is closed by release(), once the leader's routes have stopped
    }

    @Override
    public synchronized void release() {
        if (connection == null) {
            return;
        }
        try (PreparedStatement p = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            p.setLong(1, key);
            p.execute();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("the housekeeping lock could not be released (closing its session releases it): {}",
                    e.getMessage());
        }
        drop();
    }

    @Override
    public String describe() {
        return "PostgreSQL advisory lock " + Long.toHexString(key);
    }

    /** The session, for tests that cut it as a network failure would. */
    synchronized Connection connectionForTests() {
        return connection;
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        long seconds = Math.max(1, timings.socketTimeout().toSeconds());
        p.setProperty("socketTimeout", Long.toString(seconds));
        p.setProperty("connectTimeout", Long.toString(seconds));
        p.setProperty("loginTimeout", Long.toString(seconds));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "hub housekeeping " + node);
        Connection c = DriverManager.getConnection(withoutTimeouts(url), p);
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            int idle = timings.serverKeepaliveIdleSeconds();
            s.execute("SET tcp_keepalives_idle = " + idle);
            s.execute("SET tcp_keepalives_interval = 1");
            s.execute("SET tcp_keepalives_count = 3");
        } catch (SQLException e) {
            LOG.debug("the server's keepalives could not be set for the housekeeping lock: {}", e.getMessage());
        }
        return c;
    }

    /** The settings of the lock's session that the URL must not override (the driver prefers the URL's). */
    private static final java.util.Set<String> OWN = java.util.Set.of("socketTimeout", "connectTimeout", "loginTimeout",
            "tcpKeepAlive", "ApplicationName");

    /** The registry's URL without the parameters the lock sets itself: its timeouts hold whatever the pool's are. */
    static String withoutTimeouts(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        String kept = java.util.Arrays.stream(url.substring(q + 1).split("&"))
                .filter(param -> !param.isEmpty() && !OWN.contains(param.split("=", 2)[0]))
                .collect(java.util.stream.Collectors.joining("&"));
        return kept.isEmpty() ? url.substring(0, q) : url.substring(0, q + 1) + kept;
    }

    private void drop() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("closing the housekeeping lock's connection: {}", e.getMessage());
            }
        }
    }
}
