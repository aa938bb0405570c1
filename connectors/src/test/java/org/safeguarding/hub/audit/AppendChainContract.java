package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

abstract class AppendChainContract extends AuditContract {

    @Test
    void firstEventStartsTheChainAtSequenceOneWithGenesisHash() {
        String sub = uuid();
        AuditEvent e = trail.append(received(sub));

        assertThat(e.sequence()).isEqualTo(1);
        assertThat(e.previousHash()).isEqualTo("0".repeat(64));
        assertThat(e.hash()).hasSize(64).isEqualTo(AuditHashing.hashOf(e));
        assertThat(e.time()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
        assertThat(e.submissionId()).isEqualTo(sub);
        assertThat(e.key()).isEqualTo("received:" + sub);
        assertThat(e.id()).hasSize(36);
    }

    @Test
    void eachEventLinksToTheOneBefore() {
        AuditEvent a = trail.append(received(uuid()));
        clock.advance(Duration.ofMillis(1500));
        AuditEvent b = trail.append(decision(uuid(), "mash-bpl", "SHARED", null));

        assertThat(b.sequence()).isEqualTo(2);
        assertThat(b.previousHash()).isEqualTo(a.hash());
        assertThat(b.time()).isEqualTo(a.time().plusMillis(1500));
        assertThat(trail.verify()).isEqualTo(new AuditVerification(true, 2, b.hash(), null, null));
    }

    @Test
    void timeIsTruncatedToMilliseconds() {
        clock.set(Instant.parse("2026-03-01T09:00:00.123456789Z"));
        AuditEvent e = trail.append(received(uuid()));
        assertThat(e.time()).isEqualTo(Instant.parse("2026-03-01T09:00:00.123Z"));
        assertThat(trail.find(AuditQuery.all())).containsExactly(e);
    }

    @Test
    void storedEventsReadBackExactlyAsReturned() {
        String sub = uuid();
        AuditRecord redacted = AuditRecord.builder(AuditEventType.REDACTED, "hub")
                .key("redacted:" + sub + ":mash-bpl")
                .participant("mash-bpl")
                .submissionId(sub)
                .packageId("pkg-" + sub)
                .agreement("CS-CORE", 3)
                .withheldPaths(List.of("subjects[1].health", "source", "subjects[0].address"))
                .packageDigest("sha256:" + "b".repeat(64))
                .detail("profile=police-to-mash")
                .build();
        AuditEvent stored = trail.append(redacted);

        assertThat(stored.withheldPaths()).containsExactly("source", "subjects[0].address", "subjects[1].health");
        assertThat(trail.find(AuditQuery.all())).containsExactly(stored);
    }

    @Test
    void appendAllWritesInOrderAndReturnsOneEventPerRecord() {
        String sub = uuid();
        List<AuditEvent> events = trail.appendAll(List.of(
                received(sub),
                decision(sub, "mash-bpl", "SHARED", null),
                decision(sub, "health-lancs", "NOT_SHARED", "OUT_OF_AREA")));

        assertThat(events).extracting(AuditEvent::sequence).containsExactly(1L, 2L, 3L);
        assertThat(events).extracting(AuditEvent::type).containsExactly(
                AuditEventType.SUBMISSION_RECEIVED, AuditEventType.DECISION, AuditEventType.DECISION);
        assertThat(events.get(2).previousHash()).isEqualTo(events.get(1).hash());
        assertThat(trail.verify().ok()).isTrue();
    }

    @Test
    void aRecordWithoutKeyGetsARandomOne() {
        AuditEvent a = trail.append(plain(AuditEventType.HUB_STARTED, "hub"));
        AuditEvent b = trail.append(plain(AuditEventType.HUB_STARTED, "hub"));
        assertThat(a.key()).isNotBlank().isNotEqualTo(b.key());
        assertThat(b.sequence()).isEqualTo(2);
    }

    @Test
    void callersCannotWriteTheTrailsOwnEventTypes() {
        AuditRecord purge = AuditRecord.builder(AuditEventType.RETENTION_PURGED, "hub").build();
        assertThatThrownBy(() -> trail.append(purge)).isInstanceOf(IllegalArgumentException.class);
        assertThat(trail.find(AuditQuery.all())).isEmpty();
    }

    @Test
    void reopeningContinuesTheSameChain() {
        AuditEvent a = trail.append(received(uuid()));
        trail.close();
        trail = open();
        AuditEvent c = trail.append(received(uuid()));

        // close() signed a checkpoint at sequence 2
        assertThat(c.sequence()).isEqualTo(3);
        List<AuditEvent> all = trail.find(AuditQuery.all());
        assertThat(all).extracting(AuditEvent::type).containsExactly(AuditEventType.SUBMISSION_RECEIVED,
                AuditEventType.CHECKPOINT, AuditEventType.SUBMISSION_RECEIVED);
        assertThat(all.get(1).previousHash()).isEqualTo(a.hash());
        assertThat(trail.verify().ok()).isTrue();
    }

    @Test
    void closedTrailRefusesAppendsAndIsUnhealthy() {
        assertThat(trail.healthy()).isTrue();
        trail.close();
        assertThat(trail.healthy()).isFalse();
        assertThatThrownBy(() -> trail.append(received(uuid()))).isInstanceOf(AuditStoreException.class);
        trail.close(); // idempotent
    }

    @Test
    void emptyTrailVerifies() {
        assertThat(trail.verify()).isEqualTo(new AuditVerification(true, 0, "0".repeat(64), null, null));
    }
}
