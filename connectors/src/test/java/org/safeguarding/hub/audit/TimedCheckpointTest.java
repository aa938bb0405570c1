package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A checkpoint interval signs the head when it moved, and adds nothing while the trail is idle. */
class TimedCheckpointTest {
    private final TestDatabase db = TestDatabase.h2();

    @AfterEach
    void closeDb() {
        db.close();
    }

    @Test
    void theTimerSignsAMovedHead() {
        TestClock clock = TestClock.at("2026-03-01T09:00:00Z");
        AuditTrailOptions options = AuditTrailOptions.defaults().withCheckpointEveryEvents(0)
                .withCheckpointInterval(Duration.ofMillis(20));
        try (JdbcAuditTrail trail = JdbcAuditTrail.open(db.url(), db.user(), db.password(), clock,
                TestSigners.signer(TestSigners.ed25519()), options)) {
            trail.append(AuditRecord.builder(AuditEventType.HUB_STARTED, "hub").build());
            List<AuditEvent> events = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) { // bounded poll, no sleep
                events = trail.find(AuditQuery.all());
                if (events.size() >= 2) {
                    break;
                }
                Thread.onSpinWait();
            }
            assertThat(events).extracting(AuditEvent::type)
                    .containsExactly(AuditEventType.HUB_STARTED, AuditEventType.CHECKPOINT);
            // idle: further ticks return the existing checkpoint instead of writing new ones
            AuditEvent again = trail.checkpoint();
            assertThat(again).isEqualTo(events.get(1));
            assertThat(trail.verify().ok()).isTrue();
        }
    }
}
