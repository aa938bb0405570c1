package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.jdbc.FaultyFilePath;

/**
 * The H2 file trail on a file system that counts fsyncs and can be made full ({@link FaultyFilePath}): every
 * returned append, checkpoint and purge was forced to disk; a full disk fails writes, and once space is back the trail
 * is healthy again by itself and its chain continues without gap or fork.
 */
class H2DurabilityTest {
    @TempDir
    Path dir;
    private final TestClock clock = TestClock.at("2026-03-01T09:00:00Z");
    private final CheckpointSigner signer = TestSigners.signer(TestSigners.ed25519());
    private final RealisticEvents events = new RealisticEvents(7);

    @AfterEach
    void spaceBack() {
        FaultyFilePath.diskFull.set(false);
    }

    private JdbcAuditTrail open() {
        return JdbcAuditTrail.open(FaultyFilePath.url(dir.resolve("audit")), "hub", "", clock, signer,
                AuditTrailOptions.defaults().withCheckpointEveryEvents(0));
    }

    @Test
    void everyReturnedBatchWasForcedToDisk() {
        try (JdbcAuditTrail trail = open()) {
            for (int i = 0; i < 20; i++) {
                List<AuditRecord> batch = events.next(50);
                long before = FaultyFilePath.forces.get();
                trail.appendAll(batch);
                assertThat(FaultyFilePath.forces.get()).as("fsyncs during batch %d", i).isGreaterThan(before);
            }
            long before = FaultyFilePath.forces.get();
            trail.checkpoint();
            assertThat(FaultyFilePath.forces.get()).as("fsyncs during a checkpoint").isGreaterThan(before);
            before = FaultyFilePath.forces.get();
            clock.advance(Duration.ofDays(1));
            trail.purgeBefore(clock.instant().minusSeconds(3600));
            assertThat(FaultyFilePath.forces.get()).as("fsyncs during a purge").isGreaterThan(before);
        }
    }

    @Test
    void aFullDiskFailsWritesAndTheTrailRecoversByItselfOnceSpaceIsBack() {
        try (JdbcAuditTrail trail = open()) {
            List<AuditEvent> first = trail.appendAll(events.next(40));
            assertThat(trail.healthy()).isTrue();

            FaultyFilePath.diskFull.set(true);
            List<AuditRecord> during = events.next(40);
            assertThatThrownBy(() -> trail.appendAll(during)).isInstanceOf(AuditStoreException.class);
            assertThat(trail.healthy()).isFalse();
            assertThatThrownBy(() -> trail.appendAll(during)).isInstanceOf(AuditStoreException.class);
            assertThat(trail.healthy()).isFalse();

            FaultyFilePath.diskFull.set(false);
            Await.until("the trail to be healthy again without a restart", Duration.ofSeconds(20), trail::healthy);

            // the caller retries the failed batch with the same keys, then goes on
            List<AuditEvent> retried = trail.appendAll(during);
            List<AuditEvent> later = trail.appendAll(events.next(40));
            assertThat(retried.get(0).sequence()).isEqualTo(first.get(first.size() - 1).sequence() + 1);
            assertThat(later.get(0).previousHash()).isEqualTo(retried.get(retried.size() - 1).hash());
            assertThat(trail.appendAll(during)).isEqualTo(retried); // repeats resolve to the stored events
            AuditVerification v = trail.verify();
            assertThat(v.ok()).as(String.valueOf(v.reason())).isTrue();
            assertThat(v.events()).isEqualTo(later.get(later.size() - 1).sequence());
        }
        try (JdbcAuditTrail reopened = open()) {
            assertThat(reopened.verify().ok()).isTrue();
        }
    }
}
