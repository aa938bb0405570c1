package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

abstract class IdempotencyContract extends AuditContract {

    @Test
    void aReplayedKeyReturnsTheStoredEventAndWritesNothing() {
        String sub = uuid();
        AuditEvent first = trail.append(received(sub));
        clock.advance(Duration.ofMinutes(5));
        AuditEvent replay = trail.append(received(sub));

        assertThat(replay).isEqualTo(first);
        assertThat(trail.find(AuditQuery.all())).hasSize(1);
    }

    @Test
    void aKnownKeyInsideAppendAllResolvesToTheStoredEvent() {
        String sub = uuid();
        AuditEvent first = trail.append(received(sub));
        List<AuditEvent> events = trail.appendAll(List.of(
                received(sub), decision(sub, "mash-bpl", "SHARED", null)));

        assertThat(events.get(0)).isEqualTo(first);
        assertThat(events.get(1).sequence()).isEqualTo(2);
        assertThat(trail.find(AuditQuery.all())).hasSize(2);
    }

    @Test
    void theChainGoesOnWithoutAGapAfterABatchThatMetAStoredKey() {
        String sub = uuid();
        trail.append(received(sub));
        List<AuditEvent> replayed = trail.appendAll(List.of(decision(sub, "mash-bpl", "SHARED", null),
                received(sub), decision(sub, "police-fib", "SHARED", null)));
        AuditEvent after = trail.append(decision(uuid(), "mash-bpl", "SHARED", null));

        assertThat(replayed).extracting(AuditEvent::sequence).containsExactly(2L, 1L, 3L);
        assertThat(after.sequence()).isEqualTo(4);
        assertThat(trail.find(AuditQuery.all())).extracting(AuditEvent::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(trail.verify().ok()).isTrue();
    }

    @Test
    void aKeyRepeatedWithinOneAppendAllIsWrittenOnce() {
        String sub = uuid();
        List<AuditEvent> events = trail.appendAll(List.of(received(sub), received(sub)));
        assertThat(events.get(1)).isEqualTo(events.get(0));
        assertThat(trail.find(AuditQuery.all())).hasSize(1);
    }

    @Test
    void concurrentDuplicatesAreWrittenOnce() throws Exception {
        String sub = uuid();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<List<AuditEvent>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<List<AuditEvent>> job = () -> {
                    ready.countDown();
                    go.await();
                    List<AuditEvent> mine = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        mine.add(trail.append(decision(sub, "recipient-" + i, "SHARED", null)));
                    }
                    return mine;
                };
                results.add(pool.submit(job));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<AuditEvent> firstThread = results.get(0).get(30, TimeUnit.SECONDS);
            for (Future<List<AuditEvent>> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(firstThread);
            }
        } finally {
            pool.shutdownNow();
        }
        List<AuditEvent> stored = trail.find(AuditQuery.all());
        assertThat(stored).hasSize(20);
        assertThat(stored).extracting(AuditEvent::key).doesNotHaveDuplicates();
        assertThat(trail.verify().ok()).isTrue();
    }
}
