package org.safeguarding.hub.housekeeping;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's housekeeping: every {@link HousekeepingTask} as a Camel route ({@link HousekeepingRoutes}), the
 * cluster-once ones under Camel's {@link ClusteredRoutePolicy} over this node's {@link LeaderLockClusterService}, so
 * that exactly one node at a time runs them and another takes them over when it dies.
 *
 * <p>What shows it: {@link #health} ({@code route:<id>} for every housekeeping route: up when the route is in the
 * state this node's role wants, started on the leader, stopped on a standby for a cluster-once route, started for a
 * node-local one), {@link #status} ({@code housekeeping}: {@code LEADER} or {@code STANDBY}; {@code housekeeping:<id>}
 * of each cluster-once route: {@code RUNNING}, {@code STANDBY} or {@code STOPPED}), the gauge
 * {@code hub.housekeeping.leader} (1 on the leader, 0 elsewhere) and the counter {@code hub.housekeeping.runs}.
 */
public final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    static final String LEADER_GAUGE = "hub.housekeeping.leader";
    public static final String LEADER = "LEADER";
    public static final String STANDBY = "STANDBY";

    private final CamelContext camel;
    private final LeaderLockClusterService leadership;
    private final List<HousekeepingTask> tasks;
    private boolean closed;

    private Housekeeping(CamelContext camel, LeaderLockClusterService leadership, List<HousekeepingTask> tasks) {
        this.camel = camel;
        this.leadership = leadership;
        this.tasks = tasks;
    }

    /**
     * Starts contending for leadership with {@code lock} and adds the tasks' routes to {@code camel} (started or not):
     * the node-local ones start with the context, the cluster-once ones when this node leads.
     */
    public static Housekeeping start(CamelContext camel, LeaderLock lock, LeadershipTimings timings, String node,
                                     List<HousekeepingTask> tasks, MeterRegistry metrics) throws Exception {
        Objects.requireNonNull(camel, "camel");
        List<HousekeepingTask> all = List.copyOf(tasks);
        if (all.stream().map(HousekeepingTask::id).distinct().count() != all.size()) {
            throw new IllegalArgumentException("two housekeeping tasks with one id");
        }
        LeaderLockClusterService leadership = new LeaderLockClusterService(lock, timings, node);
        leadership.setCamelContext(camel);
        camel.addService(leadership, true, true);
        ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(leadership, LeaderLockClusterService.NAMESPACE);
        policy.setCamelContext(camel);
        Gauge.builder(LEADER_GAUGE, leadership, l -> l.isLeader() ? 1 : 0)
                .description("1 while this node leads the cluster-once housekeeping, 0 on a standby")
                .tag("node", node).register(metrics);
        camel.addRoutes(new HousekeepingRoutes(all, policy, node, metrics));
        leadership.contend(); // only now: every route the leadership starts is there to be started
        return new Housekeeping(camel, leadership, all);
    }

    public boolean isLeader() {
        return leadership.isLeader();
    }

    /** {@value #LEADER} or {@value #STANDBY}. */
    public String role() {
        return isLeader() ? LEADER : STANDBY;
    }

    public String node() {
        return leadership.node();
    }

    public List<HousekeepingTask> tasks() {
        return tasks;
    }

    /** Adds {@code route:<id>} of every housekeeping route: whether it is in the state this node's role wants. */
    public void health(Map<String, Boolean> into) {
        boolean leader = isLeader();
        for (HousekeepingTask t : tasks) {
            boolean started = started(t.id());
            into.put("route:" + t.id(), t.clusterOnce() ? started == leader : started);
        }
    }

    /** This node's role and each cluster-once route's state, as the operator reads them. */
    public Map<String, String> status() {
        Map<String, String> s = new LinkedHashMap<>();
        boolean leader = isLeader();
        s.put("housekeeping", leader ? LEADER : STANDBY);
        for (HousekeepingTask t : tasks) {
            if (t.clusterOnce()) {
                s.put("housekeeping:" + t.id(), started(t.id()) ? "RUNNING" : leader ? "STOPPED" : STANDBY);
            }
        }
        return s;
    }

    private boolean started(String id) {
        ServiceStatus st = camel.getRouteController().getRouteStatus(id);
        return st != null && st.isStarted();
    }

    /** Stops every housekeeping route (a run in progress ends first), then gives leadership up. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (HousekeepingTask t : tasks) {
            try {
                if (started(t.id())) {
                    camel.getRouteController().stopRoute(t.id());
                }
            } catch (Exception e) {
                LOG.warn("stopping housekeeping {} failed: {}", t.id(), e.toString());
            }
        }
        try {
            leadership.stop();
        } catch (RuntimeException e) {
            LOG.warn("giving up housekeeping leadership failed: {}", e.toString());
        }
    }
}
