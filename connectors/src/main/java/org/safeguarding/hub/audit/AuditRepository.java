package org.safeguarding.hub.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The reading side of the audit store: queries, export and verification, each on a connection of its own from the
 * pool, so that reads never wait for the writer and never see its uncommitted batch. Thread-safe.
 */
public final class AuditRepository {
    private final DataSource dataSource;
    private final CheckpointSigner signer;

    public AuditRepository(DataSource dataSource, CheckpointSigner signer) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /** One page of matching events, oldest first. */
    public List<AuditEvent> find(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        List<AuditEvent> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            QuerySql.run(c, query, query.pageSize(), out::add);
        } catch (SQLException e) {
            throw new AuditStoreException("audit query failed: " + e.getMessage(), e);
        }
        return out;
    }

    /** Every matching event, oldest first, streamed to the sink in constant memory. */
    public void export(AuditQuery query, Consumer<AuditEvent> sink) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(sink, "sink");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            try {
                QuerySql.run(c, query, query.limit(), sink);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new AuditStoreException("audit export failed: " + e.getMessage(), e);
        }
    }

    /** The whole chain checked in one pass (see {@link ChainVerifier}). */
    public AuditVerification verify() {
        try (Connection c = dataSource.getConnection()) {
            return new ChainVerifier(signer).verify(c);
        } catch (SQLException e) {
            throw new AuditStoreException("audit verification could not read the store: " + e.getMessage(), e);
        }
    }

    /** Whether the database answers a reader now. */
    public boolean reachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
