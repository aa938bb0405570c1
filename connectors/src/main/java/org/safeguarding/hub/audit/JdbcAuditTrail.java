package org.safeguarding.hub.audit;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.safeguarding.hub.jdbc.H2Recovery;
import org.safeguarding.hub.jdbc.PooledDataSources;

/**
 * The audit trail on a JDBC database (H2 file or in-memory, PostgreSQL): an {@link AuditWriter} (the one thread that
 * keeps the chain: appends, checkpoints, purges; every returned write is committed and forced to disk) and an
 * {@link AuditRepository} (find, export, verify) over one pooled {@link DataSource}.
 *
 * <p>On H2 it is the only writer of its tables (one hub per file); on PostgreSQL the trails of several hub nodes
 * write one chain, serialised by the database (see {@link AuditWriter}).
 */
public final class JdbcAuditTrail implements AuditTrail {
    /** Connections in the pool {@link #open(String, String, String, Clock, CheckpointSigner)} makes. */
    static final int POOL_SIZE = 4;

    private final Clock clock;
    private final AuditWriter writer;
    private final AuditRepository repository;
    private final HikariDataSource ownPool; // null when the caller gave the DataSource

    private JdbcAuditTrail(DataSource dataSource, HikariDataSource ownPool, Clock clock, CheckpointSigner signer,
                           AuditTrailOptions options) {
        this.clock = clock;
        this.ownPool = ownPool;
        this.repository = new AuditRepository(dataSource, signer);
        this.writer = new AuditWriter(dataSource, clock, signer, options);
    }

    /** Opens the trail with {@link AuditTrailOptions#defaults()}, creating or migrating the schema. */
    public static JdbcAuditTrail open(String jdbcUrl, String user, String password, Clock clock, CheckpointSigner signer) {
        return open(jdbcUrl, user, password, clock, signer, AuditTrailOptions.defaults());
    }

    /** Opens the trail on a pool of its own (closed with the trail), creating or migrating the schema. */
    public static JdbcAuditTrail open(String jdbcUrl, String user, String password, Clock clock,
                                      CheckpointSigner signer, AuditTrailOptions options) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        H2Recovery.recoverIfUnclean(jdbcUrl); // before H2's own recovery, which can open an older version
        HikariDataSource pool = PooledDataSources.create("audit", jdbcUrl, user, password, POOL_SIZE);
        try {
            return open(pool, pool, clock, signer, options);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Opens the trail on the caller's {@link DataSource} (a pool, which the caller closes after the trail), creating
     * or migrating the schema.
     */
    public static JdbcAuditTrail open(DataSource dataSource, Clock clock, CheckpointSigner signer,
                                      AuditTrailOptions options) {
        return open(dataSource, null, clock, signer, options);
    }

    private static JdbcAuditTrail open(DataSource dataSource, HikariDataSource ownPool, Clock clock,
                                       CheckpointSigner signer, AuditTrailOptions options) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(options, "options");
        try (Connection c = dataSource.getConnection()) {
            AuditSchema.migrate(c, clock.instant());
        } catch (SQLException e) {
            throw new AuditStoreException("cannot open the audit store: " + e.getMessage(), e);
        }
        return new JdbcAuditTrail(dataSource, ownPool, clock, signer, options);
    }

    // ---------------------------------------------------------------- public API

    @Override
    public AuditEvent append(AuditRecord record) {
        return appendAll(List.of(record)).get(0);
    }

    /** Returns once every record is committed and forced to disk (or resolved to its stored event by key). */
    @Override
    public List<AuditEvent> appendAll(List<AuditRecord> records) {
        Objects.requireNonNull(records, "records");
        if (records.isEmpty()) {
            return List.of();
        }
        for (AuditRecord r : records) {
            Objects.requireNonNull(r, "record");
            if (r.type().reservedForTrail()) {
                throw new IllegalArgumentException(r.type() + " events are written by the trail itself");
            }
        }
        return writer.appendAll(List.copyOf(records));
    }

    @Override
    public AuditEvent checkpoint() {
        return writer.checkpoint();
    }

    @Override
    public AuditEvent purgeBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (cutoff.isAfter(clock.instant())) {
            throw new IllegalArgumentException("the retention cutoff is in the future");
        }
        return writer.purgeBefore(cutoff.truncatedTo(ChronoUnit.MILLIS));
    }

    @Override
    public List<AuditEvent> find(AuditQuery query) {
        return repository.find(query);
    }

    @Override
    public void export(AuditQuery query, Consumer<AuditEvent> sink) {
        repository.export(query, sink);
    }

    @Override
    public AuditVerification verify() {
        return repository.verify();
    }

    /**
     * True while the writer's last write succeeded and the database answers. After a failure the writer probes the
     * store by itself and this turns true again once writes succeed, without a restart.
     */
    @Override
    public boolean healthy() {
        return writer.healthy() && repository.reachable();
    }

    /** How long the last force to disk after a commit took, in nanoseconds (0 on PostgreSQL and H2 in memory). */
    public long lastSyncNanos() {
        return writer.lastSyncNanos();
    }

    @Override
    public void close() {
        writer.close();
        if (ownPool != null) {
            ownPool.close();
        }
    }
}
