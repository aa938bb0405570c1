package org.safeguarding.hub.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Connection pools (HikariCP) for the hub's stores, and dropping a connection that failed. */
public final class PooledDataSources {
    private PooledDataSources() {
    }

    /**
     * A pool of at most {@code maxSize} connections to {@code jdbcUrl}. It opens nothing until asked (a database that
     * is down at start fails the first use, not the constructor); asking waits at most 5 s for a connection, so an
     * unreachable database fails a call quickly instead of hanging it. Every new PostgreSQL connection is set up for
     * durable commits first ({@link Durability#connectionInitSql}). Close it with {@link HikariDataSource#close()}.
     */
    public static HikariDataSource create(String poolName, String jdbcUrl, String user, String password, int maxSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(true);
        String init = Durability.connectionInitSql(jdbcUrl);
        if (init != null) {
            config.setConnectionInitSql(init);
        }
        return new HikariDataSource(config);
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
}
