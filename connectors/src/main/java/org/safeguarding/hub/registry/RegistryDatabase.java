package org.safeguarding.hub.registry;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.safeguarding.hub.jdbc.Durability;
import org.safeguarding.hub.jdbc.H2Housekeeping;
import org.safeguarding.hub.jdbc.H2Recovery;
import org.safeguarding.hub.jdbc.PooledDataSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's database and its pool, opened as what it promises needs: by default an embedded H2 file
 * ({@code <directory>/registry.mv.db}), or a PostgreSQL database that several hub nodes can share.
 *
 * <p>An embedded H2 file:
 * <ul>
 *   <li>A file a kill -9 left unclosed is first opened at its newest complete version ({@link H2Recovery}): H2's own
 *       recovery can open an older one, without the batches the audit feed had already acknowledged on the broker.</li>
 *   <li>{@code WRITE_DELAY 0}: each commit is written by the thread that commits it. With H2's default delay a
 *       background writer stores commits through executors of its own, and a {@code CHECKPOINT SYNC} that meets such a
 *       write returns before it is in the file, so a kill right after the feed acknowledged a batch lost it.</li>
 *   <li>Every commit then leaves a chunk that H2 keeps 45 s: {@link RegistryProjection} rewrites sparse chunks while
 *       it runs, and {@link #close} compacts the file for up to {@value #CLOSE_COMPACT_MILLIS} ms before it closes.</li>
 * </ul>
 *
 * <p>PostgreSQL: a HikariCP pool of {@value #POOL_SIZE} connections, each with {@code synchronous_commit} on (every
 * commit is durable when it returns, see {@link Durability}); none of the H2 housekeeping applies. The URL's schema
 * ({@code currentSchema}) is made if the server has none of that name; the tables in it, if missing, by
 * {@link SubmissionRegistry} and the link store.
 */
public final class RegistryDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryDatabase.class);
    /** How long the file is compacted at close, at most (as the audit store's is). */
    public static final int CLOSE_COMPACT_MILLIS = 10_000;
    /** Connections to a PostgreSQL registry: as many as H2's pool gives by default. */
    public static final int POOL_SIZE = 10;

    private final DataSource dataSource;
    private final JdbcConnectionPool h2; // null on PostgreSQL
    private final HikariDataSource hikari; // null on H2

    private RegistryDatabase(JdbcConnectionPool h2, HikariDataSource hikari) {
        this.dataSource = h2 != null ? h2 : hikari;
        this.h2 = h2;
        this.hikari = hikari;
    }

    /** The JDBC URL of the registry in {@code directory}. */
    public static String url(Path directory) {
        return h2Url("jdbc:h2:file:" + directory.toAbsolutePath().resolve("registry"));
    }

    /**
     * An H2 URL with the settings the registry needs, those it does not set itself: the hub closes the database (no
     * close at JVM exit), {@code WRITE_DELAY=0}, and a bigger statement cache (a routing step runs more distinct
     * statements on a connection than H2's default cache of 8 parsed statements holds: registry, links, alerts,
     * webhooks; each was parsed again at every call).
     */
    static String h2Url(String url) {
        StringBuilder b = new StringBuilder(url);
        String upper = url.toUpperCase(Locale.ROOT);
        for (String setting : new String[] {"DB_CLOSE_ON_EXIT=FALSE", "WRITE_DELAY=0", "QUERY_CACHE_SIZE=64"}) {
            if (!upper.contains(";" + setting.substring(0, setting.indexOf('=') + 1))) {
                b.append(';').append(setting);
            }
        }
        return b.toString();
    }

    /** Opens (or creates) the registry in {@code directory}, recovering it first if it was not closed. */
    public static RegistryDatabase open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the registry directory " + directory + ": "
                    + e.getMessage(), e);
        }
        return openH2(url(directory), "hub", "");
    }

    /**
     * Opens the registry {@code hub.yaml} names: with no {@code jdbcUrl} the embedded file in {@code directory}
     * ({@link #open(Path)}); an H2 URL as that file is opened; a PostgreSQL URL on a pool of its own.
     */
    public static RegistryDatabase open(Path directory, String jdbcUrl, String user, String password) {
        if (jdbcUrl == null) {
            return open(directory);
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return openH2(h2Url(jdbcUrl), user, password == null ? "" : password);
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return openPostgres(jdbcUrl, user, password);
        }
        throw new IllegalArgumentException("the registry lives in H2 or PostgreSQL, not at " + jdbcUrl);
    }

    private static RegistryDatabase openH2(String url, String user, String password) {
        H2Recovery.recoverIfUnclean(url);
        return new RegistryDatabase(JdbcConnectionPool.create(url, user, password), null);
    }

    private static RegistryDatabase openPostgres(String url, String user, String password) {
        HikariDataSource pool = PooledDataSources.create("registry", url, user, password, POOL_SIZE);
        try (Connection c = pool.getConnection()) {
            Durability.prepare(c); // warns when the server runs with fsync off
            createSchemaIfMissing(c, url);
        } catch (SQLException e) {
            LOG.warn("the registry's PostgreSQL is not ready at start: {}", e.getMessage());
        }
        return new RegistryDatabase(null, pool);
    }

    /**
     * Makes the URL's {@code currentSchema} (the first, a plain name) when the server has none of that name, so that
     * the tables can be made in it; a server that has it, or a URL without one, is left alone.
     */
    private static void createSchemaIfMissing(Connection c, String url) throws SQLException {
        if (c.getSchema() != null) {
            return; // the search path names a schema that exists
        }
        java.util.Properties properties = org.postgresql.Driver.parseURL(url, null);
        String wanted = properties == null ? null : properties.getProperty("currentSchema");
        String first = wanted == null ? "" : wanted.split(",")[0].strip();
        if (!first.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            return; // none, or quoted: left to the server, which says what is wrong at the first table
        }
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + first);
        }
        LOG.info("made the registry's schema {}", first);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Whether the registry is on PostgreSQL (no H2 housekeeping). */
    public boolean isPostgres() {
        return hikari != null;
    }

    /** On H2 compacts the file (nothing may write any more); then closes every connection and so the database. */
    @Override
    public void close() {
        if (hikari != null) {
            hikari.close();
            return;
        }
        try (Connection c = h2.getConnection()) {
            H2Housekeeping.compactFile(c, CLOSE_COMPACT_MILLIS);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("the registry could not be compacted at close: {}", e.getMessage());
        }
        h2.dispose();
    }
}
