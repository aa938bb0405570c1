package org.safeguarding.hub.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
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
import javax.sql.DataSource;
import org.safeguarding.hub.jdbc.Durability;
import org.safeguarding.hub.jdbc.H2Housekeeping;
import org.safeguarding.hub.jdbc.PooledDataSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing side of the audit store: the one thread that keeps the chain.
 *
 * <p>Callers put their records on a queue and block; the writer takes everything queued (up to
 * {@link AuditTrailOptions#maxBatchSize()} records), assigns sequence numbers and hashes, commits it in one
 * transaction (group commit) and forces it to disk ({@link Durability#sync}) before any caller returns: a returned
 * append is on disk. Records whose key is already stored, or appears earlier in the same batch, resolve to the stored
 * event and write nothing. If a batch of several callers fails, each caller's records are retried alone so that one
 * failure cannot fail the others. Checkpoints and retention purges run on the same thread.
 *
 * <p>After a failed write (disk full, database gone) the writer drops its connection and its in-memory head, reports
 * itself unhealthy, and probes the store with backing-off attempts (reload the head from the tables, write the probe
 * row, commit, force) while idle; the first write or probe that succeeds makes it healthy again. The head is always
 * read back from the store after a failure, so the chain continues where the store ends: no gap, no fork.
 *
 * <p>On PostgreSQL several hub nodes write the one chain: every transaction first takes the chain's transaction-scoped
 * advisory lock ({@link #CHAIN_LOCK}) and reads the head back from the tables, so the database serialises the
 * writers and each batch continues where the last committed one, of whichever node, ends. On H2 the writer is the
 * only one (one hub per file) and keeps its head in memory.
 */
final class AuditWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    private static final int KEY_LOOKUP_CHUNK = 200;
    static final long FIRST_PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    static final long MAX_PROBE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int COMPACT_FILL_RATE = 80;
    private static final int COMPACT_WRITE_LIMIT = 4 * 1024 * 1024;
    private static final int CLOSE_COMPACT_MILLIS = 10_000;
    private static final long HOUSEKEEPING_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    private long lastHousekeepingNanos;
    private boolean housekept;

    /** The key of the PostgreSQL advisory lock that serialises the chain's writers ("HUBAUDIT" in ASCII). */
    static final long CHAIN_LOCK = 0x4855424155444954L;

    private final DataSource dataSource;
    private final Clock clock;
    private final CheckpointSigner signer;
    private final AuditTrailOptions options;
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Object enqueueLock = new Object();
    private final Thread writer;
    private final ScheduledExecutorService scheduler;
    private volatile boolean closed;
    private volatile boolean lastWriteFailed;
    private volatile long lastSyncNanos;

    // owned by the writer thread
    private Connection connection;
    /** Whether other writers may share the chain (PostgreSQL): the head is then locked and read in every transaction. */
    private boolean sharedChain;
    private Head head;
    private long probeDelayNanos = FIRST_PROBE_NANOS;
    private volatile long duplicateBatches;

    AuditWriter(DataSource dataSource, Clock clock, CheckpointSigner signer, AuditTrailOptions options) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.options = Objects.requireNonNull(options, "options");
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

    List<AuditEvent> appendAll(List<AuditRecord> records) {
        return await(submit(new AppendTask(records)));
    }

    AuditEvent checkpoint() {
        return await(submit(new CheckpointTask()));
    }

    AuditEvent purgeBefore(Instant cutoff) {
        return await(submit(new PurgeTask(cutoff)));
    }

    /** True while the writer runs and its last write (or probe) succeeded. */
    boolean healthy() {
        return !closed && writer.isAlive() && !lastWriteFailed;
    }

    /** Nanoseconds the last force to disk took (0 where there is nothing to force). */
    long lastSyncNanos() {
        return lastSyncNanos;
    }

    boolean isClosed() {
        return closed;
    }

    /** Signs a final checkpoint (best effort) and stops the writer. Idempotent. */
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
                    task = lastWriteFailed ? queue.poll(probeDelayNanos, TimeUnit.NANOSECONDS) : queue.take();
                } catch (InterruptedException e) {
                    continue; // only close() stops the writer
                }
                if (task == null) {
                    probe();
                    continue;
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
                    task.future().completeExceptionally(wrap(t));
                }
            }
        } finally {
            if (connection != null && !lastWriteFailed) {
                try {
                    H2Housekeeping.compactFile(connection, CLOSE_COMPACT_MILLIS);
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("audit store compaction at close failed: {}", e.getMessage());
                }
            }
            dropConnection();
            for (Task t; (t = queue.poll()) != null; ) {
                t.future().completeExceptionally(new AuditStoreException("the audit trail is closed"));
            }
        }
    }

    /** While failed and idle: does the store take a write again? Reloads the head, writes the probe row, forces. */
    private void probe() {
        try {
            transaction(c -> {
                try (PreparedStatement p = c.prepareStatement("UPDATE audit_writer_probe SET probed_at = ? WHERE id = 1")) {
                    p.setObject(1, EventRows.timestamp(clock.instant().truncatedTo(ChronoUnit.MILLIS)));
                    p.executeUpdate();
                }
                return null;
            });
            LOG.info("the audit store takes writes again; chain head at sequence {}", head == null ? 0 : head.seq);
        } catch (Exception e) {
            probeDelayNanos = Math.min(MAX_PROBE_NANOS, probeDelayNanos * 2);
            LOG.debug("audit store still failing: {}", e.getMessage());
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
                return;
            }
            housekeeping();
        }
    }

    /** On an embedded H2 file: rewrite the sparsest chunks so the file does not grow while the hub runs. */
    private void housekeeping() {
        long now = System.nanoTime();
        if (connection == null || (housekept && now - lastHousekeepingNanos < HOUSEKEEPING_EVERY_NANOS)) {
            return; // under load checkpoints come many times a second: the file is tidied at most every 10 s
        }
        housekept = true;
        lastHousekeepingNanos = now;
        try {
            H2Housekeeping.compact(connection, COMPACT_FILL_RATE, COMPACT_WRITE_LIMIT);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("audit store compaction failed: {}", e.getMessage());
            lastWriteFailed = true;
            head = null;
            dropConnection();
        }
    }

    /**
     * Runs the work in one transaction on the writer's connection, commits and forces it to disk. On any failure the
     * connection is dropped (a pooled one evicted) and the head forgotten: the next attempt starts from the store.
     */
    private <T> T transaction(SqlWork<T> work) throws SQLException {
        try {
            if (connection == null) {
                Connection c = dataSource.getConnection();
                connection = c;
                Durability.prepare(c);
                H2Housekeeping.configure(c);
                c.setAutoCommit(false);
                sharedChain = Durability.Kind.of(c) == Durability.Kind.POSTGRESQL;
            }
            if (sharedChain) {
                lockChain(connection);
                head = loadHead(connection);
            } else if (head == null) {
                head = loadHead(connection);
            }
            T result = work.run(connection);
            connection.commit();
            long t0 = System.nanoTime();
            Durability.sync(connection);
            lastSyncNanos = System.nanoTime() - t0;
            if (lastWriteFailed) {
                lastWriteFailed = false;
                probeDelayNanos = FIRST_PROBE_NANOS;
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            lastWriteFailed = true;
            head = null; // the in-memory head may be ahead of (or, if commit's answer was lost, behind) the store
            if (connection != null) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the connection is dropped below anyway
                }
            }
            dropConnection();
            throw e;
        }
    }

    /** Waits for the chain's advisory lock, held until this transaction commits or rolls back. */
    private static void lockChain(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            p.setLong(1, CHAIN_LOCK);
            p.execute();
        }
    }

    private void dropConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            PooledDataSources.evict(dataSource, c);
        }
    }

    /**
     * Appends the batch's records. A record whose key is stored already resolves to the stored event; that happens
     * only when a step is applied again (a replay after a crash or a failed batch), so the batch is first inserted
     * as if every key were new, inside a savepoint, and the unique key constraint decides: only when it refuses is
     * the batch undone and written again with its stored keys looked up.
     */
    private List<List<AuditEvent>> insertAll(Connection c, List<AppendTask> batch) throws SQLException {
        Head before = head;
        Savepoint optimistic = c.setSavepoint();
        try {
            List<List<AuditEvent>> results = assign(batch, new HashMap<>(), c);
            c.releaseSavepoint(optimistic);
            return results;
        } catch (SQLException e) {
            if (!isDuplicateKey(e)) {
                throw e;
            }
            c.rollback(optimistic);
            head = before;
            duplicateBatches++;
        }
        Set<String> keys = new LinkedHashSet<>();
        for (AppendTask t : batch) {
            for (AuditRecord r : t.records) {
                if (r.key() != null) {
                    keys.add(r.key());
                }
            }
        }
        return assign(batch, loadByKeys(c, keys), c);
    }

    /** Numbers and hashes the records not in {@code known} (nor earlier in the batch) and inserts them. */
    private List<List<AuditEvent>> assign(List<AppendTask> batch, Map<String, AuditEvent> known, Connection c)
            throws SQLException {
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

    /** A unique constraint refused a row (SQLSTATE 23505 on H2 and PostgreSQL), anywhere in the exception's chain. */
    static boolean isDuplicateKey(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (SQLException s = t instanceof SQLException q ? q : null; s != null; s = s.getNextException()) {
                if ("23505".equals(s.getSQLState())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Batches that met a stored key and were written again with their keys looked up (replays). */
    long duplicateBatches() {
        return duplicateBatches;
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

    private static RuntimeException wrap(Throwable e) {
        if (e instanceof RuntimeException re) {
            return re;
        }
        return new AuditStoreException("audit write failed: " + e.getMessage(), e);
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
