package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

abstract class ExportContract extends AuditContract {

    private void appendBulk(int n) {
        List<AuditRecord> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(received(uuid()));
            if (batch.size() == 500) {
                trail.appendAll(batch);
                batch.clear();
                clock.advance(Duration.ofMinutes(1));
            }
        }
        trail.appendAll(batch);
    }

    @Test
    void exportStreamsEveryEventOldestFirstBeyondAnyPageSize() {
        appendBulk(5_000);
        AtomicLong expected = new AtomicLong(1);
        AtomicInteger count = new AtomicInteger();
        trail.export(AuditQuery.all(), e -> {
            assertThat(e.sequence()).isEqualTo(expected.getAndIncrement());
            count.incrementAndGet();
        });
        assertThat(count).hasValue(5_000);
    }

    @Test
    void exportAppliesFiltersAndALimit() {
        Instant start = clock.instant();
        appendBulk(1_200); // minutes 0, 1 and 2 hold 500, 500 and 200 events
        List<Long> seqs = new ArrayList<>();
        trail.export(new AuditQuery(null, null, null, start.plus(Duration.ofMinutes(1)), start.plus(Duration.ofMinutes(2)),
                null, 0), e -> seqs.add(e.sequence()));
        assertThat(seqs).hasSize(500).startsWith(501L).endsWith(1000L);

        List<Long> limited = new ArrayList<>();
        trail.export(AuditQuery.all().withLimit(7).withAfterSequence(10L), e -> limited.add(e.sequence()));
        assertThat(limited).containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L);
    }

    @Test
    void aFailingSinkStopsTheExportAndTheTrailStaysUsable() {
        appendBulk(50);
        AtomicInteger seen = new AtomicInteger();
        assertThatThrownBy(() -> trail.export(AuditQuery.all(), e -> {
            if (seen.incrementAndGet() == 10) {
                throw new IllegalStateException("client went away");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("client went away");
        assertThat(seen).hasValue(10);
        assertThat(trail.append(received(uuid())).sequence()).isEqualTo(51);
        assertThat(trail.verify().ok()).isTrue();
    }
}
