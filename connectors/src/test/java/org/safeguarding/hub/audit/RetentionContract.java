package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

abstract class RetentionContract extends AuditContract {

    private List<AuditEvent> all() {
        return trail.find(AuditQuery.all().withLimit(1000));
    }

    @Test
    void purgeDeletesOldEventsAndKeepsTheChainVerifiable() {
        appendSome(10); // times t0 .. t0+9s
        Instant cutoff = Instant.parse("2026-03-01T09:00:05Z");
        clock.advance(Duration.ofDays(400));
        AuditEvent purge = trail.purgeBefore(cutoff);

        assertThat(purge.type()).isEqualTo(AuditEventType.RETENTION_PURGED);
        assertThat(purge.actor()).isEqualTo("hub");
        assertThat(purge.detail()).isEqualTo("cutoff=2026-03-01T09:00:05Z;through=5;count=5");
        List<AuditEvent> kept = all();
        assertThat(kept.get(0).sequence()).isEqualTo(6);
        assertThat(kept).extracting(AuditEvent::type).endsWith(
                AuditEventType.CHECKPOINT, AuditEventType.RETENTION_PURGED, AuditEventType.CHECKPOINT);
        AuditVerification v = trail.verify();
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.events()).isEqualTo(kept.size());
    }

    @Test
    void appendsAfterAPurgeContinueTheChain() {
        appendSome(6);
        clock.advance(Duration.ofDays(1));
        trail.purgeBefore(clock.instant());
        AuditEvent next = trail.append(received(uuid()));
        assertThat(trail.verify().ok()).isTrue();
        trail.close();
        trail = open();
        assertThat(trail.append(received(uuid())).sequence()).isGreaterThan(next.sequence());
        assertThat(trail.verify().ok()).isTrue();
    }

    @Test
    void purgingEverythingOldKeepsTheSignedTail() {
        appendSome(4);
        clock.advance(Duration.ofDays(1));
        trail.purgeBefore(clock.instant());
        List<AuditEvent> kept = all();
        assertThat(kept).extracting(AuditEvent::type).containsExactly(
                AuditEventType.CHECKPOINT, AuditEventType.RETENTION_PURGED, AuditEventType.CHECKPOINT);
        assertThat(kept.get(0).sequence()).isEqualTo(5);
        assertThat(trail.verify().ok()).isTrue();
    }

    @Test
    void aPurgeWithNothingToDeleteIsStillRecorded() {
        appendSome(3);
        AuditEvent purge = trail.purgeBefore(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(purge.detail()).endsWith("count=0");
        assertThat(all().get(0).sequence()).isEqualTo(1);
        assertThat(trail.verify().ok()).isTrue();
    }

    @Test
    void twoPurgesInARowStayVerifiable() {
        appendSome(5);
        clock.advance(Duration.ofDays(1));
        trail.purgeBefore(clock.instant().minus(Duration.ofHours(1)));
        appendSome(5);
        clock.advance(Duration.ofDays(1));
        trail.purgeBefore(clock.instant().minus(Duration.ofHours(1)));
        AuditVerification v = trail.verify();
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(all()).extracting(AuditEvent::type).endsWith(AuditEventType.RETENTION_PURGED, AuditEventType.CHECKPOINT);
    }

    @Test
    void aFutureCutoffIsRefused() {
        assertThatThrownBy(() -> trail.purgeBefore(clock.instant().plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletingTheAnchorAfterAPurgeIsDetected() {
        appendSome(6);
        clock.advance(Duration.ofDays(1));
        trail.purgeBefore(Instant.parse("2026-03-01T09:00:03Z"));
        AuditEvent first = all().get(0);
        db.sql("DELETE FROM audit_anchor");
        AuditVerification v = trail.verify();
        assertThat(v.ok()).isFalse();
        assertThat(v.firstBadEvent()).isEqualTo(first.id());
    }

    @Test
    void aForgedAnchorIsDetected() {
        appendSome(6);
        clock.advance(Duration.ofDays(1));
        AuditEvent purge = trail.purgeBefore(Instant.parse("2026-03-01T09:00:03Z"));
        db.sql("UPDATE audit_anchor SET start_seq = 5");
        AuditVerification v = trail.verify();
        assertThat(v.ok()).isFalse();
        assertThat(v.firstBadEvent()).isEqualTo(purge.id());
        assertThat(v.reason()).contains("retention anchor");
    }

    @Test
    void deletingMoreThanThePurgeDidIsDetected() {
        appendSome(6);
        clock.advance(Duration.ofDays(1));
        trail.purgeBefore(Instant.parse("2026-03-01T09:00:03Z"));
        List<AuditEvent> kept = all();
        db.sql("DELETE FROM audit_event WHERE seq = " + kept.get(0).sequence());
        AuditVerification v = trail.verify();
        assertThat(v.ok()).isFalse();
        assertThat(v.firstBadEvent()).isEqualTo(kept.get(1).id());
    }

    @Test
    void deletingThePurgeEventIsDetected() {
        appendSome(6);
        clock.advance(Duration.ofDays(1));
        AuditEvent purge = trail.purgeBefore(Instant.parse("2026-03-01T09:00:03Z"));
        db.sql("DELETE FROM audit_event WHERE seq >= " + purge.sequence(),
                "DELETE FROM audit_checkpoint WHERE seq > " + purge.sequence());
        AuditVerification v = trail.verify();
        assertThat(v.ok()).isFalse();
        assertThat(v.firstBadEvent()).isEqualTo(purge.id());
        assertThat(v.reason()).contains("not in the trail");
    }
}
