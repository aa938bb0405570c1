package org.safeguarding.hub.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import javax.sql.DataSource;

/** Connection pools (HikariCP) for the hub's stores, and dropping a connection that failed. */
public final class PooledDataSources {
    private PooledDataSources() {
    }

    /**
     * A pool of at most {@code maxSize} connections to {@code jdbcUrl}. It opens nothing until asked (a database that
     * is down at start fails the first use, not the constructor); asking waits at most 5 s for a connection, so an
     * unreachable database fails a call quickly instead of hanging it. On an embedded H2 database its connections are
     * kept for the pool's life (H2 closes an embedded database when its last connection closes, so a pool retiring
     * its connections would close and reopen it). Close it with {@link HikariDataSource#close()}: that closes its
     * connections (and so an embedded H2 database) and ends its threads.
     */
    public static HikariDataSource create(String poolName, String jdbcUrl, String user, String password, int maxSize) {
        HikariConfig config = config(poolName, jdbcUrl, maxSize);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        return new HikariDataSource(config);
    }

    /**
     * As {@link #create}, for a store that forces what it promises with {@link Durability#sync} after the commit: each
     * new connection is set up by {@link Durability#prepare} (on an H2 file {@code WRITE_DELAY 0}, without which
     * {@code sync} is no barrier; on PostgreSQL {@code synchronous_commit} on) and {@link H2Housekeeping#configure}
     * (an embedded H2 file keeps freed space for 45 s, so that a kill -9 after a compaction still finds every forced
     * commit) before the pool hands it out.
     */
    public static HikariDataSource durable(String poolName, String jdbcUrl, String user, String password,
                                           int maxSize) {
        HikariConfig config = config(poolName, jdbcUrl, maxSize);
        config.setDataSource(new PreparedConnections(jdbcUrl, user, password));
        return new HikariDataSource(config);
    }

    private static HikariConfig config(String poolName, String jdbcUrl, int maxSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setMaximumPoolSize(maxSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(true);
        if (isEmbeddedH2(jdbcUrl)) {
            config.setMaxLifetime(0);
        }
        return config;
    }

    /** An H2 database in this process (a file or memory), not one reached through an H2 server. */
    static boolean isEmbeddedH2(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
    }

    /**
     * Takes a connection that failed out of use: evicted from its pool (so that it is never handed out again) when
     * it is a Hikari one, closed otherwise. Never throws.
     */
    public static void evict(DataSource dataSource, Connection c) {
        if (c == null) {
            return;
        }
        try {
            if (dataSource instanceof HikariDataSource hikari) {
                hikari.evictConnection(c);
            } else {
                c.close();
            }
        } catch (SQLException | RuntimeException ignored) {
            // nothing more to do: the connection is out of use
        }
    }

    /** The physical connections under a {@link #durable} pool: each prepared once, when it is made. */
    private static final class PreparedConnections implements DataSource {
        private final String url;
        private final String user;
        private final String password;
        private volatile int loginTimeoutSeconds;

        PreparedConnections(String url, String user, String password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return getConnection(user, password);
        }

        @Override
        public Connection getConnection(String username, String pass) throws SQLException {
            Connection c = DriverManager.getConnection(url, username, pass);
            try {
                Durability.prepare(c);
                H2Housekeeping.configure(c);
                return c;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.close();
                } catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // no log writer: the pool and the driver log through SLF4J
        }

        @Override
        public void setLoginTimeout(int seconds) {
            loginTimeoutSeconds = seconds;
        }

        @Override
        public int getLoginTimeout() {
            return loginTimeoutSeconds;
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            throw new SQLException("not a wrapper of " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }
    }
}
