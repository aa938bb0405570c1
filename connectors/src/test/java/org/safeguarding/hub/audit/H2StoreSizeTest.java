package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the default audit store (an H2 file) takes on disk per event: 20,000 realistic events appended in batches of
 * about 200 with a checkpoint every 1,000 (as the hub's feed consumer does), measured while running and after
 * close and reopen. The target: at most 1 KB per event after a restart, indexes included.
 */
class H2StoreSizeTest {
    private static final Logger LOG = LoggerFactory.getLogger(H2StoreSizeTest.class);
    static final int EVENTS = 20_000;
    static final int BATCH = 200;

    @TempDir
    Path dir;

    @Test
    void takesAtMostOneKilobytePerEventAfterARestart() throws IOException {
        KeyPair keys = TestSigners.ed25519();
        CheckpointSigner signer = TestSigners.signer(keys);
        TestClock clock = TestClock.at("2026-03-01T09:00:00Z");
        String url = "jdbc:h2:file:" + dir.resolve("audit");
        Path file = dir.resolve("audit.mv.db");
        RealisticEvents events = new RealisticEvents(42);
        long appended = 0;
        long maxRunning = 0;
        long nanos = 0;
        long syncNanos = 0;
        int batches = 0;
        try (JdbcAuditTrail trail = JdbcAuditTrail.open(url, "hub", "", clock, signer,
                AuditTrailOptions.defaults().withCheckpointEveryEvents(1000))) {
            while (appended < EVENTS) {
                List<AuditRecord> batch = events.next(BATCH);
                long t0 = System.nanoTime();
                trail.appendAll(batch);
                nanos += System.nanoTime() - t0;
                syncNanos += trail.lastSyncNanos();
                batches++;
                appended += batch.size();
                clock.advance(Duration.ofMillis(250));
                maxRunning = Math.max(maxRunning, Files.size(file));
            }
            long running = Files.size(file);
            LOG.info("H2 audit store while running: {} events, {} bytes ({} B/event, peak {} B/event), {} ms per batch of ~{}",
                    appended, running, running / appended, maxRunning / appended, nanos / batches / 1_000_000, BATCH);
            System.out.printf("H2 audit store while running: %d events, %d bytes (%d B/event, peak %d B/event),"
                    + " %.1f ms per batch, of which %.2f ms forcing it to disk%n", appended, running, running / appended,
                    maxRunning / appended, nanos / (double) batches / 1e6, syncNanos / (double) batches / 1e6);
        }
        long closed = Files.size(file);
        try (JdbcAuditTrail trail = JdbcAuditTrail.open(url, "hub", "", clock, signer)) {
            assertThat(trail.verify().ok()).isTrue();
            assertThat(trail.verify().events()).isGreaterThanOrEqualTo(appended);
        }
        long afterRestart = Files.size(file);
        System.out.printf("H2 audit store after restart: %d bytes (%d B/event); at close %d bytes%n",
                afterRestart, afterRestart / appended, closed);
        assertThat(afterRestart / appended).as("bytes per event after a restart").isLessThanOrEqualTo(1024);
    }
}
