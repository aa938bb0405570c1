package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

abstract class QueryContract extends AuditContract {
    private String subA;
    private String subB;
    private Instant t0;

    @BeforeEach
    void someTraffic() {
        subA = uuid();
        subB = uuid();
        t0 = clock.instant();
        trail.append(received(subA));                                        // 1 lancs-police, t0
        clock.advance(Duration.ofMinutes(1));
        trail.append(decision(subA, "mash-bpl", "SHARED", null));            // 2 hub -> mash-bpl, t0+1m
        trail.append(decision(subA, "health-lancs", "NOT_SHARED", "OUT_OF_AREA")); // 3
        clock.advance(Duration.ofMinutes(1));
        trail.append(received(subB));                                        // 4 lancs-police, t0+2m
        clock.advance(Duration.ofMinutes(1));
        trail.append(AuditRecord.builder(AuditEventType.PACKAGE_FETCHED, "mash-bpl")
                .submissionId(subA).packageId("pkg-1").build());             // 5 mash-bpl, t0+3m
        trail.append(AuditRecord.builder(AuditEventType.AUDIT_QUERIED, "ig-lead")
                .detail("type=DECISION;limit=50").build());                  // 6 ig-lead
    }

    private static List<Long> seqs(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::sequence).toList();
    }

    @Test
    void bySubmission() {
        assertThat(seqs(trail.find(new AuditQuery(subA, null, null, null, null, null, 0)))).containsExactly(1L, 2L, 3L, 5L);
        assertThat(seqs(trail.find(new AuditQuery(subB.toUpperCase(), null, null, null, null, null, 0)))).containsExactly(4L);
    }

    @Test
    void byParticipantMatchesActorOrParticipant() {
        assertThat(seqs(trail.find(new AuditQuery(null, "mash-bpl", null, null, null, null, 0)))).containsExactly(2L, 5L);
        assertThat(seqs(trail.find(new AuditQuery(null, "lancs-police", null, null, null, null, 0)))).containsExactly(1L, 4L);
    }

    @Test
    void byType() {
        assertThat(seqs(trail.find(new AuditQuery(null, null, AuditEventType.DECISION, null, null, null, 0))))
                .containsExactly(2L, 3L);
    }

    @Test
    void byTimeFromInclusiveToExclusive() {
        Instant from = t0.plus(Duration.ofMinutes(1));
        Instant to = t0.plus(Duration.ofMinutes(3));
        assertThat(seqs(trail.find(new AuditQuery(null, null, null, from, to, null, 0)))).containsExactly(2L, 3L, 4L);
    }

    @Test
    void filtersCombine() {
        assertThat(seqs(trail.find(new AuditQuery(subA, "health-lancs", AuditEventType.DECISION, t0, null, null, 0))))
                .containsExactly(3L);
    }

    @Test
    void pagesWithAfterSequenceAndLimit() {
        List<Long> all = new ArrayList<>();
        AuditQuery q = AuditQuery.all().withLimit(2);
        List<AuditEvent> page = trail.find(q);
        int pages = 0;
        while (!page.isEmpty()) {
            pages++;
            assertThat(page.size()).isLessThanOrEqualTo(2);
            all.addAll(seqs(page));
            page = trail.find(q.withAfterSequence(page.get(page.size() - 1).sequence()));
        }
        assertThat(pages).isEqualTo(3);
        assertThat(all).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aPageIsCappedAtTheMaximumLimit() {
        List<AuditRecord> many = new ArrayList<>();
        for (int i = 0; i < AuditQuery.MAX_LIMIT + 10; i++) {
            many.add(plain(AuditEventType.PACKAGE_EXPIRED, "hub"));
        }
        trail.appendAll(many);
        assertThat(trail.find(AuditQuery.all().withLimit(5000))).hasSize(AuditQuery.MAX_LIMIT);
        assertThat(trail.find(AuditQuery.all())).hasSize(AuditQuery.DEFAULT_LIMIT);
    }

    @Test
    void noMatchIsEmpty() {
        assertThat(trail.find(new AuditQuery(uuid(), null, null, null, null, null, 0))).isEmpty();
    }
}
