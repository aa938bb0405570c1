package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

abstract class ConcurrencyContract extends AuditContract {

    @Override
    protected AuditTrailOptions options() {
        return AuditTrailOptions.defaults().withCheckpointEveryEvents(300); // checkpoints interleave with appends
    }

    @Test
    void eightThreadsAppendingGiveAGapFreeVerifiedChain() throws Exception {
        int threads = 8;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<AuditEvent>>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                final int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    List<AuditEvent> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        if (i % 10 == 0) {
                            String sub = uuid();
                            mine.addAll(trail.appendAll(List.of(received(sub),
                                    decision(sub, "mash-" + thread, "SHARED", null))));
                        } else {
                            mine.add(trail.append(received(uuid())));
                        }
                    }
                    return mine;
                }));
            }
            go.countDown();
            List<AuditEvent> returned = new ArrayList<>();
            for (Future<List<AuditEvent>> f : futures) {
                returned.addAll(f.get(60, TimeUnit.SECONDS));
            }
            int expectedAppends = threads * (perThread + perThread / 10);
            assertThat(returned).hasSize(expectedAppends);
            assertThat(returned).extracting(AuditEvent::sequence).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }

        List<Long> sequences = new ArrayList<>();
        trail.export(AuditQuery.all(), e -> sequences.add(e.sequence()));
        assertThat(sequences).containsExactlyElementsOf(
                LongStream.rangeClosed(1, sequences.size()).boxed().toList());
        long checkpoints = trail.find(new AuditQuery(null, null, AuditEventType.CHECKPOINT, null, null, null, 1000)).size();
        assertThat(checkpoints).isGreaterThanOrEqualTo(sequences.size() / 301);
        assertThat(sequences.size()).isEqualTo(threads * (perThread + perThread / 10) + (int) checkpoints);
        AuditVerification v = trail.verify();
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.events()).isEqualTo(sequences.size());
    }

    @Test
    void appendAllOfOneCallerStaysContiguousAmongOtherWriters() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<AuditEvent>>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    List<AuditEvent> last = List.of();
                    for (int i = 0; i < 30; i++) {
                        String sub = uuid();
                        last = trail.appendAll(List.of(received(sub), decision(sub, "a", "SHARED", null),
                                decision(sub, "b", "NOT_SHARED", "NO_AGREEMENT")));
                        long s0 = last.get(0).sequence();
                        if (last.get(1).sequence() != s0 + 1 || last.get(2).sequence() != s0 + 2) {
                            throw new AssertionError("appendAll split at " + s0);
                        }
                    }
                    return last;
                }));
            }
            go.countDown();
            for (Future<List<AuditEvent>> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long checkpoints = trail.find(new AuditQuery(null, null, AuditEventType.CHECKPOINT, null, null, null, 0)).size();
        assertThat(trail.verify().events()).isEqualTo(360 + checkpoints);
    }
}
