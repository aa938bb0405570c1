package org.safeguarding.hub.auditing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;

/** The retention job purges what is older than the period, keeps the trail verifiable, and is itself recorded. */
class AuditRetentionTest {
    final TrailFixture f = TrailFixture.at("2019-03-01T12:00:00Z");

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void theCutoffIsCalendarYearsBackInUtc() {
        f.clock.set("2026-03-01T00:00:00Z");
        AuditRetention r = new AuditRetention(f.trail, Period.ofYears(7), f.clock);
        assertThat(r.cutoff()).isEqualTo(Instant.parse("2019-03-01T00:00:00Z"));
    }

    @Test
    void runOncePurgesOnlyWhatIsPastRetentionAndTheTrailStillVerifies() {
        f.recorder.lifecycle(AuditEventType.HUB_STARTED, "old-1");
        f.recorder.lifecycle(AuditEventType.HUB_STOPPED, "old-2");
        f.clock.set("2024-06-01T00:00:00Z");
        f.recorder.lifecycle(AuditEventType.HUB_STARTED, "kept-1");
        f.clock.set("2026-06-01T00:00:00Z");
        f.recorder.lifecycle(AuditEventType.HUB_STARTED, "kept-2");

        AuditEvent purge = new AuditRetention(f.trail, Period.ofYears(7), f.clock).runOnce();

        assertThat(purge.type()).isEqualTo(AuditEventType.RETENTION_PURGED);
        assertThat(purge.detail()).contains("cutoff=2019-06-01T00:00:00Z").contains("count=2");
        assertThat(f.all()).extracting(AuditEvent::detail).doesNotContain("old-1", "old-2")
                .contains("kept-1", "kept-2");
        assertThat(f.trail.verify().ok()).isTrue();
    }

    @Test
    void aRunWithNothingToPurgeIsStillRecorded() {
        f.recorder.lifecycle(AuditEventType.HUB_STARTED, "recent");
        f.clock.advance(Duration.ofDays(1));
        AuditEvent purge = new AuditRetention(f.trail, Period.ofYears(7), f.clock).runOnce();

        assertThat(purge.detail()).contains("count=0");
        assertThat(f.all()).extracting(AuditEvent::detail).contains("recent");
        assertThat(f.trail.verify().ok()).isTrue();
    }

    @Test
    void aZeroPeriodIsRefused() {
        assertThatThrownBy(() -> new AuditRetention(f.trail, Period.ZERO, f.clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
