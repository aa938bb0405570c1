package org.safeguarding.hub.audit;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The audit tables and their versioned migrations. The same DDL runs on H2 (2.x) and PostgreSQL.
 * {@code audit_schema_version} holds one row per applied migration.
 */
final class AuditSchema {
    static final int CURRENT_VERSION = 3;

    /** Migration n is at index n-1; never edit a released one, add a new one. */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE audit_event (
              seq BIGINT NOT NULL,
              id VARCHAR(36) NOT NULL,
              event_time TIMESTAMP WITH TIME ZONE NOT NULL,
              event_type VARCHAR(40) NOT NULL,
              event_key VARCHAR(200) NOT NULL,
              actor VARCHAR(128) NOT NULL,
              participant VARCHAR(128),
              submission_id VARCHAR(36),
              package_id VARCHAR(128),
              agreement_id VARCHAR(128),
              agreement_version INTEGER,
              decision VARCHAR(64),
              reason_code VARCHAR(64),
              withheld_paths VARCHAR(60000),
              received_digest VARCHAR(80),
              package_digest VARCHAR(80),
              detail VARCHAR(2000),
              previous_hash VARCHAR(64) NOT NULL,
              event_hash VARCHAR(64) NOT NULL,
              CONSTRAINT audit_event_pk PRIMARY KEY (seq),
              CONSTRAINT audit_event_id_uk UNIQUE (id),
              CONSTRAINT audit_event_key_uk UNIQUE (event_key)
            )""",
            "CREATE INDEX audit_event_submission_ix ON audit_event (submission_id, seq)",
            "CREATE INDEX audit_event_actor_ix ON audit_event (actor, seq)",
            "CREATE INDEX audit_event_participant_ix ON audit_event (participant, seq)",
            "CREATE INDEX audit_event_type_ix ON audit_event (event_type, seq)",
            "CREATE INDEX audit_event_time_ix ON audit_event (event_time)",
            """
            CREATE TABLE audit_checkpoint (
              seq BIGINT NOT NULL,
              event_id VARCHAR(36) NOT NULL,
              covered_seq BIGINT NOT NULL,
              head_hash VARCHAR(64) NOT NULL,
              event_hash VARCHAR(64) NOT NULL,
              signed_at TIMESTAMP WITH TIME ZONE NOT NULL,
              signature VARCHAR(2000) NOT NULL,
              CONSTRAINT audit_checkpoint_pk PRIMARY KEY (seq)
            )""",
            """
            CREATE TABLE audit_anchor (
              id INTEGER NOT NULL,
              start_seq BIGINT NOT NULL,
              previous_hash VARCHAR(64) NOT NULL,
              cutoff TIMESTAMP WITH TIME ZONE NOT NULL,
              purged_at TIMESTAMP WITH TIME ZONE NOT NULL,
              purge_event_id VARCHAR(36) NOT NULL,
              signature VARCHAR(2000) NOT NULL,
              CONSTRAINT audit_anchor_pk PRIMARY KEY (id),
              CONSTRAINT audit_anchor_single CHECK (id = 1)
            )"""),
            // v2: one row the writer updates to find out whether the store takes writes again after a failure
            List.of("""
            CREATE TABLE audit_writer_probe (
              id INTEGER NOT NULL,
              probed_at TIMESTAMP WITH TIME ZONE NOT NULL,
              CONSTRAINT audit_writer_probe_pk PRIMARY KEY (id),
              CONSTRAINT audit_writer_probe_single CHECK (id = 1)
            )""",
            "INSERT INTO audit_writer_probe (id, probed_at) VALUES (1, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00')"),
            // v3: nothing looks an event up by its random id, and a unique index on it cost every insert a random-page
            // write and a uniqueness probe; the key (unique) and the sequence (primary key) identify an event
            List.of("ALTER TABLE audit_event DROP CONSTRAINT audit_event_id_uk"));

    private AuditSchema() {
    }

    /** Creates or migrates the schema to {@link #CURRENT_VERSION}; refuses a newer one. */
    static void migrate(Connection c, java.time.Instant now) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS audit_schema_version ("
                        + "version INTEGER NOT NULL, description VARCHAR(200) NOT NULL, "
                        + "applied_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                        + "CONSTRAINT audit_schema_version_pk PRIMARY KEY (version))");
            }
            c.commit();
            int version = currentVersion(c);
            if (version > CURRENT_VERSION) {
                throw new AuditStoreException("audit schema version " + version
                        + " is newer than this hub understands (" + CURRENT_VERSION + ")");
            }
            for (int v = version + 1; v <= CURRENT_VERSION; v++) {
                try (Statement s = c.createStatement()) {
                    for (String ddl : MIGRATIONS.get(v - 1)) {
                        s.execute(ddl);
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO audit_schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                    p.setInt(1, v);
                    p.setString(2, "audit schema v" + v);
                    p.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                    p.executeUpdate();
                }
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The applied version, 0 when there is none (version table absent or empty). */
    static int currentVersion(Connection c) throws SQLException {
        if (!tableExists(c, "audit_schema_version")) {
            return 0;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(version) FROM audit_schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Whether the table exists in the connection's current schema. */
    static boolean tableExists(Connection c, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String schema = c.getSchema();
        for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT)}) {
            try (ResultSet rs = md.getTables(null, schema, name, null)) {
                while (rs.next()) {
                    String type = rs.getString("TABLE_TYPE");
                    if (type != null && type.toUpperCase(java.util.Locale.ROOT).contains("TABLE")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
