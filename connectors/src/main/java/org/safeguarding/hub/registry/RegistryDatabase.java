package org.safeguarding.hub.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.safeguarding.hub.jdbc.H2Housekeeping;
import org.safeguarding.hub.jdbc.H2Recovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's embedded H2 file ({@code <directory>/registry.mv.db}) and its pool, opened as what it promises needs.
 *
 * <ul>
 *   <li>A file a kill -9 left unclosed is first opened at its newest complete version ({@link H2Recovery}): H2's own
 *       recovery can open an older one, without the batches the audit feed had already acknowledged on the broker.</li>
 *   <li>{@code WRITE_DELAY 0}: each commit is written by the thread that commits it. With H2's default delay a
 *       background writer stores commits through executors of its own, and a {@code CHECKPOINT SYNC} that meets such a
 *       write returns before it is in the file, so a kill right after the feed acknowledged a batch lost it.</li>
 *   <li>Every commit then leaves a chunk that H2 keeps 45 s: {@link RegistryProjection} rewrites sparse chunks while
 *       it runs, and {@link #close} compacts the file for up to {@value #CLOSE_COMPACT_MILLIS} ms before it closes.</li>
 * </ul>
 */
public final class RegistryDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryDatabase.class);
    /** How long the file is compacted at close, at most (as the audit store's is). */
    public static final int CLOSE_COMPACT_MILLIS = 10_000;

    private final JdbcConnectionPool pool;

    private RegistryDatabase(JdbcConnectionPool pool) {
        this.pool = pool;
    }

    /** The JDBC URL of the registry in {@code directory}. */
    public static String url(Path directory) {
        // a routing step runs more distinct statements on a connection than H2's default cache of 8 parsed
        // statements holds (registry, links, alerts, webhooks): each was parsed again at every call
        return "jdbc:h2:file:" + directory.toAbsolutePath().resolve("registry")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=64";
    }

    /** Opens (or creates) the registry in {@code directory}, recovering it first if it was not closed. */
    public static RegistryDatabase open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the registry directory " + directory + ": "
                    + e.getMessage(), e);
        }
        String url = url(directory);
        H2Recovery.recoverIfUnclean(url);
        return new RegistryDatabase(JdbcConnectionPool.create(url, "hub", ""));
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Compacts the file (nothing may write any more), then closes every connection and so the database. */
    @Override
    public void close() {
        try (Connection c = pool.getConnection()) {
            H2Housekeeping.compactFile(c, CLOSE_COMPACT_MILLIS);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("the registry could not be compacted at close: {}", e.getMessage());
        }
        pool.dispose();
    }
}
