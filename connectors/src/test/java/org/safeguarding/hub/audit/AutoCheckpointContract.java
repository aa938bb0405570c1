package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

abstract class AutoCheckpointContract extends AuditContract {

    @Override
    protected AuditTrailOptions options() {
        return AuditTrailOptions.defaults().withCheckpointEveryEvents(10).withMaxBatchSize(5);
    }

    @Test
    void aCheckpointFollowsEveryNEvents() {
        for (int i = 0; i < 5; i++) {
            List<AuditRecord> five = new ArrayList<>();
            for (int j = 0; j < 5; j++) {
                five.add(received(uuid()));
            }
            trail.appendAll(five);
        }
        // the writer checkpoints after the batch that reached 10 events since the last checkpoint
        List<AuditEvent> all = trail.find(AuditQuery.all());
        assertThat(all).filteredOn(e -> e.type() == AuditEventType.CHECKPOINT)
                .extracting(AuditEvent::sequence).containsExactly(11L, 22L);
        assertThat(trail.verify().ok()).isTrue();
    }
}
