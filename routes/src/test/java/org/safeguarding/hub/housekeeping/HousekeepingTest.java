package org.safeguarding.hub.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.Await;

/**
 * The housekeeping routes under the leadership policy, with a lock the test controls: cluster-once routes run only
 * while this node leads, start when it takes the lock and stop at once when it loses it; node-local routes run
 * regardless; health, status and metrics say which.
 */
class HousekeepingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final LeadershipTimings FAST = new LeadershipTimings(Duration.ofMillis(50), Duration.ofSeconds(1));
    private static final Duration EVERY = Duration.ofMillis(20);

    private final SwitchableLock lock = new SwitchableLock();
    private final List<CamelContext> contexts = new java.util.ArrayList<>();
    private final List<Housekeeping> started = new java.util.ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Housekeeping h : started) {
            h.close();
        }
        for (CamelContext c : contexts) {
            c.close();
        }
    }

    private record Node(Housekeeping housekeeping, AtomicInteger clusterRuns, AtomicInteger localRuns,
                        SimpleMeterRegistry metrics, CamelContext camel) {
        double gauge() {
            return metrics.get(Housekeeping.LEADER_GAUGE).gauge().value();
        }

        double runs(String route, String outcome) {
            return metrics.get(HousekeepingRun.RUNS).tag("route", route).tag("outcome", outcome).counter().count();
        }

        boolean routeStarted(String id) {
            return camel.getRouteController().getRouteStatus(id).isStarted();
        }
    }

    private Node node(String name, Duration takeoverDelay) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        contexts.add(camel);
        camel.start(); // the hub adds its housekeeping to a running context
        AtomicInteger cluster = new AtomicInteger();
        AtomicInteger local = new AtomicInteger();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        Housekeeping h = Housekeeping.start(camel, lock.contender(name, takeoverDelay), FAST, name, List.of(
                HousekeepingTask.clusterOnce("test-expiry", Duration.ZERO, EVERY, cluster::incrementAndGet),
                HousekeepingTask.nodeLocal("test-flush", Duration.ZERO, EVERY, local::incrementAndGet)), metrics);
        started.add(h);
        return new Node(h, cluster, local, metrics, camel);
    }

    @Test
    void aStandbyRunsOnlyItsNodeLocalRoutesAndSaysSo() throws Exception {
        lock.closeToAll();
        Node n = node("a", Duration.ZERO);

        Await.until("node-local runs", WAIT, () -> n.localRuns().get() >= 3);
        assertThat(n.clusterRuns().get()).as("no cluster-once run on a standby").isZero();
        assertThat(n.routeStarted("test-expiry")).isFalse();
        assertThat(n.housekeeping().role()).isEqualTo(Housekeeping.STANDBY);
        assertThat(n.gauge()).isZero();
        assertThat(n.housekeeping().status()).containsEntry("housekeeping", "STANDBY")
                .containsEntry("housekeeping:test-expiry", "STANDBY").doesNotContainKey("housekeeping:test-flush");
        Map<String, Boolean> health = new java.util.LinkedHashMap<>();
        n.housekeeping().health(health);
        assertThat(health).as("a standby's stopped cluster-once route is as it should be")
                .containsEntry("route:test-expiry", true).containsEntry("route:test-flush", true);
        assertThat(n.runs("test-flush", "ok")).isPositive();
    }

    @Test
    void takingTheLockStartsTheClusterOnceRoutesAndLosingItStopsThem() throws Exception {
        lock.closeToAll();
        Node n = node("a", Duration.ZERO);
        Await.until("node-local runs", WAIT, () -> n.localRuns().get() >= 1);

        lock.reopen();
        Await.until("cluster-once runs on the leader", WAIT, () -> n.clusterRuns().get() >= 3);
        assertThat(n.housekeeping().role()).isEqualTo(Housekeeping.LEADER);
        assertThat(n.gauge()).isEqualTo(1.0);
        assertThat(n.housekeeping().status()).containsEntry("housekeeping", "LEADER")
                .containsEntry("housekeeping:test-expiry", "RUNNING");
        assertThat(n.runs("test-expiry", "ok")).isGreaterThanOrEqualTo(3);

        lock.closeToAll();
        lock.revoke(); // the session is gone: the next check finds out
        Await.until("the cluster-once route stopped", WAIT, () -> !n.routeStarted("test-expiry"));
        int after = n.clusterRuns().get();
        int local = n.localRuns().get();
        Await.until("node-local runs go on", WAIT, () -> n.localRuns().get() >= local + 3);
        assertThat(n.clusterRuns().get()).as("no cluster-once run once leadership is lost").isEqualTo(after);
        assertThat(n.housekeeping().role()).isEqualTo(Housekeeping.STANDBY);
        assertThat(n.gauge()).isZero();

        lock.reopen();
        Await.until("leadership taken again, the route runs again", WAIT, () -> n.clusterRuns().get() > after);
        assertThat(n.housekeeping().role()).isEqualTo(Housekeeping.LEADER);
    }

    @Test
    void aLeaderWhoseClusterOnceRouteWasStoppedIsUnhealthy() throws Exception {
        Node n = node("a", Duration.ZERO);
        Await.until("leading", WAIT, () -> n.clusterRuns().get() >= 1);

        n.camel().getRouteController().stopRoute("test-expiry");

        Map<String, Boolean> health = new java.util.LinkedHashMap<>();
        n.housekeeping().health(health);
        assertThat(health).containsEntry("route:test-expiry", false);
        assertThat(n.housekeeping().status()).containsEntry("housekeeping:test-expiry", "STOPPED");
    }

    /** Two nodes on one lock: one leads; when its lock is taken away the other leads, never both at one look. */
    @Test
    void leadershipMovesToTheOtherNodeAndNeverTwoLead() throws Exception {
        Duration delay = FAST.detection();
        Node a = node("a", delay);
        Await.until("a leads", WAIT, () -> a.housekeeping().isLeader());
        Node b = node("b", delay);
        AtomicInteger both = new AtomicInteger();
        Runnable look = () -> {
            if (a.housekeeping().isLeader() && b.housekeeping().isLeader()) {
                both.incrementAndGet();
            }
        };
        Await.until("b standing by with its node-local routes", WAIT, () -> {
            look.run();
            return b.localRuns().get() >= 3;
        });
        assertThat(b.housekeeping().isLeader()).isFalse();
        assertThat(b.clusterRuns().get()).isZero();

        lock.revoke(); // a's session dropped: b takes the lock at once but leads only after a has stopped
        Await.until("b leads", WAIT, () -> {
            look.run();
            return b.housekeeping().isLeader();
        });
        Await.until("b's cluster-once route runs", WAIT, () -> {
            look.run();
            return b.clusterRuns().get() >= 1;
        });
        assertThat(a.housekeeping().isLeader()).isFalse();
        assertThat(a.routeStarted("test-expiry")).isFalse();
        assertThat(both.get()).as("looks that saw two leaders").isZero();
    }

    @Test
    void closingGivesLeadershipUp() throws Exception {
        Node a = node("a", Duration.ZERO);
        Await.until("a leads", WAIT, () -> a.housekeeping().isLeader());

        a.housekeeping().close();

        assertThat(lock.holder()).as("the lock is free for another node").isNull();
        assertThat(a.housekeeping().isLeader()).isFalse();
        assertThat(a.routeStarted("test-expiry")).isFalse();
        assertThat(a.routeStarted("test-flush")).isFalse();
    }

    /** The embedded H2 registry is this node's alone: it leads from its first look, with no takeover delay. */
    @Test
    void aNodeOnTheEmbeddedRegistryAlwaysLeads() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        contexts.add(camel);
        camel.start();
        AtomicInteger runs = new AtomicInteger();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        Housekeeping h = Housekeeping.start(camel, new SoleNodeLock(), LeadershipTimings.DEFAULT, "solo", List.of(
                HousekeepingTask.clusterOnce("test-expiry", Duration.ZERO, EVERY, runs::incrementAndGet)), metrics);
        started.add(h);

        Await.until("cluster-once runs", WAIT, () -> runs.get() >= 2);
        assertThat(h.role()).isEqualTo(Housekeeping.LEADER);
        assertThat(metrics.get(Housekeeping.LEADER_GAUGE).gauge().value()).isEqualTo(1.0);
        assertThat(new SoleNodeLock().takeoverDelay(LeadershipTimings.DEFAULT)).isZero();
    }

    /**
     * The sole node leads at once: every one of its cluster-once routes starts, however many there are and however the
     * leadership's first look falls against their adding (once, one stayed stopped and the hub never became healthy).
     */
    @Test
    void theSoleNodeStartsEveryClusterOnceRouteAtEveryStart() throws Exception {
        for (int start = 0; start < 15; start++) {
            CamelContext camel = new DefaultCamelContext();
            contexts.add(camel);
            camel.start();
            List<HousekeepingTask> tasks = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(HousekeepingTask.clusterOnce("once-" + i, Duration.ofHours(1), Duration.ofHours(1), () -> { }));
            }
            Housekeeping h = Housekeeping.start(camel, new SoleNodeLock(), LeadershipTimings.DEFAULT, "solo", tasks,
                    new SimpleMeterRegistry());
            started.add(h);
            Await.until("every cluster-once route started on the sole node (start " + start + ")", WAIT, () -> {
                java.util.Map<String, Boolean> health = new java.util.LinkedHashMap<>();
                h.health(health);
                return h.isLeader() && health.values().stream().allMatch(Boolean::booleanValue);
            });
        }
    }

    @Test
    void tasksAreCheckedOnce() {
        assertThatThrownBy(() -> HousekeepingTask.clusterOnce("Bad Id", Duration.ZERO, EVERY, () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HousekeepingTask.nodeLocal("x", Duration.ZERO, Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LeadershipTimings(Duration.ZERO, Duration.ofSeconds(3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LeadershipTimings(Duration.ofSeconds(2), Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(LeadershipTimings.DEFAULT.serverKeepaliveIdleSeconds()).isEqualTo(10);
        // the lock's session keeps its own timeouts whatever the registry's URL says
        assertThat(PostgresAdvisoryLock.withoutTimeouts(
                "jdbc:postgresql://db:5432/hub?socketTimeout=0&currentSchema=hub&tcpKeepAlive=false&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/hub?currentSchema=hub&ssl=true");
        assertThat(PostgresAdvisoryLock.withoutTimeouts("jdbc:postgresql://db/hub?connectTimeout=30"))
                .isEqualTo("jdbc:postgresql://db/hub");
        assertThat(PostgresAdvisoryLock.withoutTimeouts("jdbc:postgresql://db/hub")).isEqualTo("jdbc:postgresql://db/hub");
    }
}
