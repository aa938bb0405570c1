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
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Several hub nodes on one PostgreSQL audit store: each has a trail (its own writer, pool and checkpoints) and all of
 * them append at once. The database serialises them into one chain: gap-free, unforked, verifiable as a whole; a
 * record replayed on another node resolves to the event the first node stored.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_URL, matches = ".+")
class PostgresSharedChainTest extends AuditContract {
    private static final int NODES = 3;
    private static final int THREADS_PER_NODE = 3;
    private static final int PER_THREAD = 120;

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }

    @Override
    protected AuditTrailOptions options() {
        return AuditTrailOptions.defaults().withCheckpointEveryEvents(200); // every node checkpoints among the others
    }

    @Test
    void threeNodesAppendingAtOnceWriteOneVerifiedChain() throws Exception {
        List<JdbcAuditTrail> nodes = new ArrayList<>(List.of(trail));
        for (int i = 1; i < NODES; i++) {
            nodes.add(open());
        }
        ExecutorService pool = Executors.newFixedThreadPool(NODES * THREADS_PER_NODE);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<AuditEvent>>> futures = new ArrayList<>();
        try {
            for (JdbcAuditTrail node : nodes) {
                for (int t = 0; t < THREADS_PER_NODE; t++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        List<AuditEvent> mine = new ArrayList<>();
                        for (int i = 0; i < PER_THREAD; i++) {
                            String sub = uuid();
                            mine.addAll(i % 4 == 0
                                    ? node.appendAll(List.of(received(sub), decision(sub, "mash", "SHARED", null)))
                                    : List.of(node.append(received(sub))));
                        }
                        return mine;
                    }));
                }
            }
            go.countDown();
            List<AuditEvent> returned = new ArrayList<>();
            for (Future<List<AuditEvent>> f : futures) {
                returned.addAll(f.get(120, TimeUnit.SECONDS));
            }
            int expected = NODES * THREADS_PER_NODE * (PER_THREAD + PER_THREAD / 4);
            assertThat(returned).hasSize(expected);
            assertThat(returned).extracting(AuditEvent::sequence).doesNotHaveDuplicates();

            // a step replayed on another node (its first node died after the commit) adds nothing
            AuditEvent first = returned.get(0);
            AuditRecord again = AuditRecord.builder(AuditEventType.SUBMISSION_RECEIVED, "lancs-police")
                    .key(first.key()).submissionId(first.submissionId()).receivedDigest("a".repeat(64)).build();
            assertThat(nodes.get(NODES - 1).append(again).id()).isEqualTo(first.id());

            List<Long> sequences = new ArrayList<>();
            trail.export(AuditQuery.all(), e -> sequences.add(e.sequence()));
            assertThat(sequences).containsExactlyElementsOf(LongStream.rangeClosed(1, sequences.size()).boxed().toList());
            long checkpoints = trail.find(new AuditQuery(null, null, AuditEventType.CHECKPOINT, null, null, null, 0))
                    .size();
            assertThat(checkpoints).isPositive();
            assertThat(sequences).hasSize(expected + (int) checkpoints);
            for (JdbcAuditTrail node : nodes) {
                AuditVerification v = node.verify();
                assertThat(v.ok()).as(v.reason()).isTrue();
                assertThat(v.events()).isEqualTo(sequences.size());
            }
        } finally {
            pool.shutdownNow();
            for (int i = 1; i < nodes.size(); i++) {
                nodes.get(i).close();
            }
        }
    }
}
