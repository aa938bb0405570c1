package org.safeguarding.hub.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes committed transactions durable (on the disk, not only handed to the operating system) on the databases the
 * hub uses.
 *
 * <ul>
 *   <li><b>H2 file database.</b> With {@code WRITE_DELAY 0} H2 2.x writes each commit to its file synchronously
 *       (MVStore {@code commit()}), but never forces it: a committed transaction can sit in the OS page cache for
 *       seconds and is lost at a power cut or OS crash. {@link #sync(Connection)} runs {@code CHECKPOINT SYNC}
 *       after the commit: H2 stores what is still unsaved and calls {@code FileChannel.force(true)} on the store
 *       file. It needs an administrator session (the database's creator is one).</li>
 *   <li><b>H2 in memory</b>: nothing to force.</li>
 *   <li><b>PostgreSQL</b>: a commit returns after its WAL is flushed as long as {@code synchronous_commit} is not
 *       {@code off}; {@link #prepare(Connection)} sets it {@code on} for the session when it is off, and warns when
 *       the server runs with {@code fsync = off}. {@link #sync(Connection)} does nothing.</li>
 * </ul>
 * Call {@link #prepare(Connection)} once per new connection and {@link #sync(Connection)} after every commit whose
 * durability an answer depends on.
 */
public final class Durability {
    private static final Logger LOG = LoggerFactory.getLogger(Durability.class);

    private Durability() {
    }

    /** What kind of store a connection talks to. */
    public enum Kind {
        H2_FILE, H2_MEMORY, POSTGRESQL, OTHER;

        public static Kind of(Connection c) throws SQLException {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("h2")) {
                String url = c.getMetaData().getURL();
                return url != null && url.startsWith("jdbc:h2:mem:") ? H2_MEMORY : H2_FILE;
            }
            if (product.contains("postgresql")) {
                return POSTGRESQL;
            }
            return OTHER;
        }
    }

    /**
     * Forces everything committed on this connection's database to disk: {@code CHECKPOINT SYNC} on an H2 file
     * database, nothing on H2 in memory or PostgreSQL (whose commit is already durable, see {@link #prepare}).
     * Call it after {@code commit()}, outside any transaction with changes.
     */
    public static void sync(Connection c) throws SQLException {
        if (Kind.of(c) == Kind.H2_FILE) {
            try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }
    }

    /**
     * Sets a new connection up for durable commits: on an H2 file database {@code WRITE_DELAY 0} (each commit is
     * written to the file when it happens, not up to 500 ms later by a background thread; then {@link #sync} only
     * has to force it); on PostgreSQL {@code synchronous_commit} on when the session has it off.
     */
    public static void prepare(Connection c) throws SQLException {
        switch (Kind.of(c)) {
            case H2_FILE -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SET WRITE_DELAY 0");
                }
            }
            case POSTGRESQL -> {
                if ("off".equalsIgnoreCase(show(c, "synchronous_commit"))) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SET synchronous_commit TO on");
                    }
                    LOG.info("synchronous_commit was off for the session; set to on");
                }
                if ("off".equalsIgnoreCase(show(c, "fsync"))) {
                    LOG.warn("the PostgreSQL server runs with fsync = off: its commits are not durable");
                }
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            }
            default -> {
                // nothing to do
            }
        }
    }

    /**
     * What a pool runs on each new connection to {@code jdbcUrl} before handing it out, so that every connection of
     * the pool commits durably without each user calling {@link #prepare}: on PostgreSQL {@code synchronous_commit}
     * on (a server or role may default it to off); null for anything else.
     */
    public static String connectionInitSql(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:") ? "SET synchronous_commit TO on" : null;
    }

    /** A PostgreSQL run-time setting as {@code SHOW} gives it. */
    public static String show(Connection c, String setting) throws SQLException {
        if (!setting.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a setting name");
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
