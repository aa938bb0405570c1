package org.safeguarding.hub.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Keeps an embedded H2 file store compact while it runs. With {@code WRITE_DELAY 0} (see {@link Durability}) H2 runs
 * no background thread, so nothing rewrites the partly-live chunks that every commit leaves behind: the file grows
 * (measured 2.5 KB per audit event while running against 0.8 KB after a restart, when close compacts).
 * {@link #compact} rewrites the sparsest chunks in the caller's thread, then commits and forces the result.
 * Uses H2's engine classes (embedded databases only; a server or PostgreSQL connection is left alone).
 */
public final class H2Housekeeping {
    /**
     * How long freed space is kept before reuse: H2's own default. A shorter one lost committed, forced audit events
     * across a kill -9 (CrashUnderLoadIT, one run in four at 1 s): after a crash H2 finds its newest chunk by
     * following the chunks written before it, which reused space can break. It also undoes a shorter setting that an
     * earlier version of the hub stored in the file.
     */
    public static final int RETENTION_MILLIS = 45_000;

    private H2Housekeeping() {
    }

    /** Sets the store's retention time (persistent); embedded H2 file databases only. */
    public static void configure(Connection c) throws SQLException {
        if (store(c) != null) {
            try (Statement s = c.createStatement()) {
                s.execute("SET RETENTION_TIME " + RETENTION_MILLIS);
            }
        }
    }

    /**
     * Rewrites chunks filled less than {@code targetFillRate} percent, at most {@code writeLimit} bytes, and forces
     * the file. Returns whether anything was rewritten; false for anything but an embedded H2 file database.
     */
    public static boolean compact(Connection c, int targetFillRate, int writeLimit) throws SQLException {
        MVStore store = store(c);
        if (store == null) {
            return false;
        }
        boolean rewritten = store.compact(targetFillRate, writeLimit);
        store.commit();
        Durability.sync(c);
        return rewritten;
    }

    /** Files smaller than this are not compacted at close. */
    static final long COMPACT_FILES_FROM_BYTES = 16L * 1024 * 1024;

    /**
     * Compacts the whole file for at most {@code maxMillis} (moves chunks together and truncates the file), as H2 does
     * at close with a 200 ms budget, which a large sparse file outgrows. False unless an embedded H2 file database.
     */
    public static boolean compactFile(Connection c, int maxMillis) throws SQLException {
        MVStore store = store(c);
        if (store == null) {
            return false;
        }
        // a small file has nothing worth the time: H2 goes on rewriting its few chunks until the budget is spent
        if (store.getFileStore().size() < COMPACT_FILES_FROM_BYTES) {
            return false;
        }
        store.compactFile(maxMillis);
        store.setRetentionTime(RETENTION_MILLIS); // compactFile leaves it at 0
        Durability.sync(c);
        return true;
    }

    /** The fill rate of the store file in percent (live data over file size), or -1 when not an embedded H2 file. */
    public static int fillRate(Connection c) throws SQLException {
        MVStore store = store(c);
        return store == null ? -1 : store.getFillRate();
    }

    private static MVStore store(Connection c) throws SQLException {
        if (Durability.Kind.of(c) != Durability.Kind.H2_FILE || !c.isWrapperFor(JdbcConnection.class)) {
            return null;
        }
        Session session = c.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionLocal local) || local.getDatabase().getStore() == null) {
            return null;
        }
        MVStore store = local.getDatabase().getStore().getMvStore();
        return store.getFileStore() == null ? null : store;
    }
}
