package org.safeguarding.hub.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail on a JDBC database (H2 file or in-memory, PostgreSQL).
 *
 * <p>One writer thread owns the write connection and the chain head. Callers put their records on a
 * queue and block; the writer takes everything queued (up to {@link AuditTrailOptions#maxBatchSize()}
 * records), assigns sequence numbers and hashes, and commits it in one transaction (group commit).
 * A caller returns only after its batch committed. Records whose key is already stored, or appears
 * earlier in the same batch, resolve to the stored event and write nothing. If a batch of several
 * callers fails, each caller's records are retried alone so that one failure cannot fail the others.
 *
 * <p>This class assumes it is the only writer of its tables (one hub per database). Reads (find,
 * export, verify) use their own short-lived connections.
 */
public final class JdbcAuditTrail implements AuditTrail {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcAuditTrail.class);
    private static final int KEY_LOOKUP_CHUNK = 200;

    private final String url;
    private final String user;
    private final String password;
    private final Clock clock;
    private final CheckpointSigner signer;
    private final AuditTrailOptions options;
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Object enqueueLock = new Object();
    private final Thread writer;
    private final ScheduledExecutorService scheduler;
    private volatile boolean closed;
    private volatile boolean lastWriteFailed;

    // owned by the writer thread
    private Connection connection;
    private Head head;

    private JdbcAuditTrail(String url, String user, String password, Clock clock, CheckpointSigner signer,
                           AuditTrailOptions options, Connection connection) throws SQLException {
        this.url = url;
        this.user = user;
        this.password = password;
        this.clock = clock;
        this.signer = signer;
        this.options = options;
        this.connection = connection;
        this.head = loadHead(connection);
        this.writer = new Thread(this::writerLoop, "audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
        if (options.checkpointInterval() != null) {
            this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "audit-checkpoint-timer");
                t.setDaemon(true);
                return t;
            });
            long ms = options.checkpointInterval().toMillis();
            this.scheduler.scheduleAtFixedRate(this::timedCheckpoint, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            this.scheduler = null;
        }
    }

    /** Opens the trail with {@link AuditTrailOptions#defaults()}, creating or migrating the schema. */
    public static JdbcAuditTrail open(String jdbcUrl, String user, String password, Clock clock, CheckpointSigner signer) {
        return open(jdbcUrl, user, password, clock, signer, AuditTrailOptions.defaults());
    }

    /** Opens the trail, creating or migrating the schema. */
    public static JdbcAuditTrail open(String jdbcUrl, String user, String password, Clock clock,
                                      CheckpointSigner signer, AuditTrailOptions options) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(options, "options");
        Connection c = null;
        try {
            c = DriverManager.getConnection(jdbcUrl, user, password);
            AuditSchema.migrate(c, clock.instant());
            tuneForDurability(jdbcUrl, c);
            c.setAutoCommit(false);
            return new JdbcAuditTrail(jdbcUrl, user, password, clock, signer, options, c);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new AuditStoreException("cannot open the audit store: " + e.getMessage(), e);
        }
    }

    /** An embedded H2 file database otherwise flushes commits up to 500 ms later; the trail promises durability. */
    private static void tuneForDurability(String jdbcUrl, Connection c) {
        if (jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:mem:")
                && !jdbcUrl.startsWith("jdbc:h2:tcp:") && !jdbcUrl.startsWith("jdbc:h2:ssl:")) {
            try (Statement s = c.createStatement()) {
                s.execute("SET WRITE_DELAY 0");
            } catch (SQLException e) {
                LOG.warn("could not set H2 WRITE_DELAY 0; commits may be flushed late: {}", e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- public API

    @Override
    public AuditEvent append(AuditRecord record) {
        return appendAll(List.of(record)).get(0);
    }

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
        return await(submit(new AppendTask(List.copyOf(records))));
    }

    @Override
    public AuditEvent checkpoint() {
        return await(submit(new CheckpointTask()));
    }

    @Override
    public AuditEvent purgeBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (cutoff.isAfter(clock.instant())) {
            throw new IllegalArgumentException("the retention cutoff is in the future");
        }
        return await(submit(new PurgeTask(cutoff.truncatedTo(ChronoUnit.MILLIS))));
    }

    @Override
    public List<AuditEvent> find(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        List<AuditEvent> out = new ArrayList<>();
        try (Connection c = readConnection()) {
            QuerySql.run(c, query, query.pageSize(), ev -> out.add(ev));
        } catch (SQLException e) {
            throw new AuditStoreException("audit query failed: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void export(AuditQuery query, Consumer<AuditEvent> sink) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(sink, "sink");
        try (Connection c = readConnection()) {
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

    @Override
    public AuditVerification verify() {
        try (Connection c = readConnection()) {
            return new ChainVerifier(signer).verify(c);
        } catch (SQLException e) {
            throw new AuditStoreException("audit verification could not read the store: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean healthy() {
        if (closed || !writer.isAlive() || lastWriteFailed) {
            return false;
        }
        try (Connection c = readConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        synchronized (enqueueLock) {
            if (closed) {
                return;
            }
        }
        try {
            checkpoint();
        } catch (RuntimeException e) {
            LOG.warn("final audit checkpoint failed: {}", e.getMessage());
        }
        synchronized (enqueueLock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(new StopTask());
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- queue

    private <T> CompletableFuture<T> submit(Task task) {
        synchronized (enqueueLock) {
            if (closed) {
                throw new AuditStoreException("the audit trail is closed");
            }
            queue.add(task);
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<T> f = (CompletableFuture<T>) task.future();
        return f;
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditStoreException("interrupted while waiting for the audit write (it may still commit;"
                    + " retry with the same key)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new AuditStoreException("audit write failed: " + cause.getMessage(), cause);
        }
    }

    private void timedCheckpoint() {
        try {
            submit(new CheckpointTask());
        } catch (RuntimeException e) {
            LOG.debug("timed checkpoint not queued: {}", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- writer thread

    private void writerLoop() {
        try {
            while (true) {
                Task task;
                try {
                    task = queue.take();
                } catch (InterruptedException e) {
                    continue; // only close() stops the writer
                }
                if (task instanceof StopTask) {
                    break;
                }
                try {
                    if (task instanceof AppendTask first) {
                        writeAppends(collectBatch(first));
                        autoCheckpoint();
                    } else if (task instanceof CheckpointTask cp) {
                        cp.future.complete(transaction(c -> checkpointIfNeeded(c)));
                    } else if (task instanceof PurgeTask p) {
                        p.future.complete(transaction(c -> purge(c, p.cutoff)));
                    }
                } catch (Throwable t) {
                    task.future().completeExceptionally(t);
                }
            }
        } finally {
            closeQuietly(connection);
            connection = null;
            for (Task t; (t = queue.poll()) != null; ) {
                t.future().completeExceptionally(new AuditStoreException("the audit trail is closed"));
            }
        }
    }

    private List<AppendTask> collectBatch(AppendTask first) {
        List<AppendTask> batch = new ArrayList<>();
        batch.add(first);
        int records = first.records.size();
        while (records < options.maxBatchSize()) {
            Task next = queue.peek();
            if (!(next instanceof AppendTask a) || records + a.records.size() > options.maxBatchSize()) {
                break;
            }
            queue.poll();
            batch.add(a);
            records += a.records.size();
        }
        return batch;
    }

    private void writeAppends(List<AppendTask> batch) {
        try {
            List<List<AuditEvent>> results = transaction(c -> insertAll(c, batch));
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).future.complete(results.get(i));
            }
        } catch (Exception batchFailure) {
            if (batch.size() == 1) {
                batch.get(0).future.completeExceptionally(wrap(batchFailure));
                return;
            }
            LOG.warn("audit batch of {} callers failed ({}); retrying each alone", batch.size(), batchFailure.getMessage());
            for (AppendTask task : batch) {
                try {
                    task.future.complete(transaction(c -> insertAll(c, List.of(task))).get(0));
                } catch (Exception e) {
                    task.future.completeExceptionally(wrap(e));
                }
            }
        }
    }

    private void autoCheckpoint() {
        long every = options.checkpointEveryEvents();
        if (every > 0 && head != null && head.seq - head.lastCheckpointSeq >= every) {
            try {
                transaction(this::checkpointIfNeeded);
            } catch (Exception e) {
                LOG.warn("automatic audit checkpoint failed: {}", e.getMessage());
            }
        }
    }

    private <T> T transaction(SqlWork<T> work) throws SQLException {
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(url, user, password);
                connection.setAutoCommit(false);
            }
            if (head == null) {
                head = loadHead(connection);
            }
            T result = work.run(connection);
            connection.commit();
            lastWriteFailed = false;
            return result;
        } catch (SQLException | RuntimeException e) {
            lastWriteFailed = true;
            head = null; // the in-memory head may be ahead of (or, if commit's answer was lost, behind) the store
            if (connection != null) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // handled below
                }
                try {
                    if (!connection.isValid(2)) {
                        closeQuietly(connection);
                        connection = null;
                    }
                } catch (SQLException ignored) {
                    closeQuietly(connection);
                    connection = null;
                }
            }
            throw e;
        }
    }

    private List<List<AuditEvent>> insertAll(Connection c, List<AppendTask> batch) throws SQLException {
        Set<String> keys = new LinkedHashSet<>();
        for (AppendTask t : batch) {
            for (AuditRecord r : t.records) {
                if (r.key() != null) {
                    keys.add(r.key());
                }
            }
        }
        Map<String, AuditEvent> known = loadByKeys(c, keys);
        List<AuditEvent> fresh = new ArrayList<>();
        List<List<AuditEvent>> results = new ArrayList<>();
        for (AppendTask t : batch) {
            List<AuditEvent> out = new ArrayList<>(t.records.size());
            for (AuditRecord r : t.records) {
                AuditEvent existing = r.key() == null ? null : known.get(r.key());
                if (existing != null) {
                    out.add(existing);
                    continue;
                }
                AuditEvent e = next(r, r.key() == null ? UUID.randomUUID().toString() : r.key());
                known.put(e.key(), e);
                fresh.add(e);
                out.add(e);
            }
            results.add(List.copyOf(out));
        }
        insert(c, fresh);
        return results;
    }

    /** The next event of the chain for this record at the clock's time; advances the in-memory head. */
    private AuditEvent next(AuditRecord r, String key) {
        return next(r, key, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    private AuditEvent next(AuditRecord r, String key, Instant time) {
        long seq = head.seq + 1;
        AuditEvent e = withHash(new AuditEvent(UUID.randomUUID().toString(), seq, time, r.type(), key, r.actor(),
                r.participant(), r.submissionId(), r.packageId(), r.agreementId(), r.agreementVersion(), r.decision(),
                r.reasonCode(), r.withheldPaths(), r.receivedDigest(), r.packageDigest(), r.detail(), head.hash, null));
        head = new Head(seq, e.hash(), r.type(), r.type() == AuditEventType.CHECKPOINT ? seq : head.lastCheckpointSeq);
        return e;
    }

    private static void insert(Connection c, List<AuditEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement(EventRows.INSERT)) {
            for (AuditEvent e : events) {
                EventRows.bind(p, e);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    private static Map<String, AuditEvent> loadByKeys(Connection c, Set<String> keys) throws SQLException {
        Map<String, AuditEvent> found = new HashMap<>();
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += KEY_LOOKUP_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + KEY_LOOKUP_CHUNK));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement p = c.prepareStatement(EventRows.SELECT + " WHERE event_key IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    p.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        AuditEvent e = EventRows.read(rs);
                        found.put(e.key(), e);
                    }
                }
            }
        }
        return found;
    }

    private AuditEvent checkpointIfNeeded(Connection c) throws SQLException {
        if (head.type == AuditEventType.CHECKPOINT) {
            AuditEvent existing = loadBySeq(c, head.seq);
            if (existing != null) {
                return existing;
            }
        }
        return writeCheckpoint(c);
    }

    private AuditEvent writeCheckpoint(Connection c) throws SQLException {
        long covers = head.seq;
        String headHash = head.hash;
        Instant time = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        byte[] signature = signer.sign(CheckpointFormat.checkpointBytes(covers, headHash, time));
        AuditRecord r = AuditRecord.builder(AuditEventType.CHECKPOINT, "hub")
                .key("checkpoint:" + UUID.randomUUID())
                .detail(CheckpointFormat.detail(covers, headHash, signature))
                .build();
        AuditEvent e = next(r, r.key(), time); // the event carries exactly the signed time
        insert(c, List.of(e));
        try (PreparedStatement p = c.prepareStatement("INSERT INTO audit_checkpoint "
                + "(seq, event_id, covered_seq, head_hash, event_hash, signed_at, signature) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            p.setLong(1, e.sequence());
            p.setString(2, e.id());
            p.setLong(3, covers);
            p.setString(4, headHash);
            p.setString(5, e.hash());
            p.setObject(6, EventRows.timestamp(time));
            p.setString(7, Base64.getEncoder().encodeToString(signature));
            p.executeUpdate();
        }
        return e;
    }

    private AuditEvent purge(Connection c, Instant cutoff) throws SQLException {
        long through;
        try (PreparedStatement p = c.prepareStatement("SELECT MIN(seq) FROM audit_event WHERE event_time >= ?")) {
            p.setObject(1, EventRows.timestamp(cutoff));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                long firstKept = rs.getLong(1);
                through = rs.wasNull() ? head.seq : firstKept - 1;
            }
        }
        long count;
        String anchorHash = null;
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM audit_event WHERE seq <= ?")) {
            p.setLong(1, through);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                count = rs.getLong(1);
            }
        }
        if (count > 0) {
            AuditEvent last = loadBySeq(c, through);
            if (last == null) {
                throw new AuditStoreException("cannot purge: event " + through + " is missing; verify the trail first");
            }
            anchorHash = last.hash();
        }
        if (head.type != AuditEventType.CHECKPOINT) {
            writeCheckpoint(c); // the state before the purge is signed
        }
        AuditRecord record = AuditRecord.builder(AuditEventType.RETENTION_PURGED, "hub")
                .key("purge:" + UUID.randomUUID())
                .detail("cutoff=" + cutoff + ";through=" + through + ";count=" + count)
                .build();
        AuditEvent purgeEvent = next(record, record.key());
        insert(c, List.of(purgeEvent));
        if (count > 0) {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM audit_event WHERE seq <= ?")) {
                p.setLong(1, through);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM audit_checkpoint WHERE seq <= ?")) {
                p.setLong(1, through);
                p.executeUpdate();
            }
            Instant purgedAt = purgeEvent.time();
            byte[] sig = signer.sign(CheckpointFormat.anchorBytes(through + 1, anchorHash, cutoff, purgedAt, purgeEvent.id()));
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM audit_anchor");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO audit_anchor "
                    + "(id, start_seq, previous_hash, cutoff, purged_at, purge_event_id, signature) VALUES (1, ?, ?, ?, ?, ?, ?)")) {
                p.setLong(1, through + 1);
                p.setString(2, anchorHash);
                p.setObject(3, EventRows.timestamp(cutoff));
                p.setObject(4, EventRows.timestamp(purgedAt));
                p.setString(5, purgeEvent.id());
                p.setString(6, Base64.getEncoder().encodeToString(sig));
                p.executeUpdate();
            }
        }
        writeCheckpoint(c); // a signed checkpoint marks the new start
        return purgeEvent;
    }

    private static AuditEvent loadBySeq(Connection c, long seq) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(EventRows.SELECT + " WHERE seq = ?")) {
            p.setLong(1, seq);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? EventRows.read(rs) : null;
            }
        }
    }

    private static Head loadHead(Connection c) throws SQLException {
        long lastCheckpoint = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(seq) FROM audit_checkpoint")) {
            if (rs.next()) {
                lastCheckpoint = rs.getLong(1);
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, event_hash, event_type FROM audit_event "
                     + "WHERE seq = (SELECT MAX(seq) FROM audit_event)")) {
            if (rs.next()) {
                AuditEventType type;
                try {
                    type = AuditEventType.valueOf(rs.getString(3));
                } catch (IllegalArgumentException e) {
                    type = null;
                }
                return new Head(rs.getLong(1), rs.getString(2), type, lastCheckpoint);
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT start_seq, previous_hash FROM audit_anchor WHERE id = 1")) {
            if (rs.next()) {
                return new Head(rs.getLong(1) - 1, rs.getString(2), null, lastCheckpoint);
            }
        }
        return new Head(0, AuditHashing.GENESIS, null, 0);
    }

    private static AuditEvent withHash(AuditEvent e) {
        return new AuditEvent(e.id(), e.sequence(), e.time(), e.type(), e.key(), e.actor(), e.participant(),
                e.submissionId(), e.packageId(), e.agreementId(), e.agreementVersion(), e.decision(), e.reasonCode(),
                e.withheldPaths(), e.receivedDigest(), e.packageDigest(), e.detail(), e.previousHash(),
                AuditHashing.hashOf(e));
    }

    private Connection readConnection() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    private static RuntimeException wrap(Exception e) {
        if (e instanceof RuntimeException re) {
            return re;
        }
        return new AuditStoreException("audit write failed: " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing to do
            }
        }
    }

    // ---------------------------------------------------------------- small types

    private record Head(long seq, String hash, AuditEventType type, long lastCheckpointSeq) {
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private sealed interface Task permits AppendTask, CheckpointTask, PurgeTask, StopTask {
        CompletableFuture<?> future();
    }

    private record AppendTask(List<AuditRecord> records, CompletableFuture<List<AuditEvent>> future) implements Task {
        AppendTask(List<AuditRecord> records) {
            this(records, new CompletableFuture<>());
        }
    }

    private record CheckpointTask(CompletableFuture<AuditEvent> future) implements Task {
        CheckpointTask() {
            this(new CompletableFuture<>());
        }
    }

    private record PurgeTask(Instant cutoff, CompletableFuture<AuditEvent> future) implements Task {
        PurgeTask(Instant cutoff) {
            this(cutoff, new CompletableFuture<>());
        }
    }

    private record StopTask(CompletableFuture<Void> future) implements Task {
        StopTask() {
            this(new CompletableFuture<>());
        }
    }
}
