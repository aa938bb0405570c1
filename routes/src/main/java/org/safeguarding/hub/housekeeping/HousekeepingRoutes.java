package org.safeguarding.hub.housekeeping;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;

/**
 * Every housekeeping task as a route of its own, {@code scheduler:<id>} with a fixed delay (the next run starts
 * {@code every} after the last one ended), route id = the task's id, its one step {@code <id>-run}. Cluster-once
 * routes carry the leadership's route policy: they start on the node that takes leadership and stop on the node that
 * loses it.
 */
public final class HousekeepingRoutes extends RouteBuilder {
    private final List<HousekeepingTask> tasks;
    private final RoutePolicy leadership;
    private final String node;
    private final MeterRegistry metrics;

    public HousekeepingRoutes(List<HousekeepingTask> tasks, RoutePolicy leadership, String node, MeterRegistry metrics) {
        this.tasks = List.copyOf(tasks);
        this.leadership = Objects.requireNonNull(leadership, "leadership");
        this.node = Objects.requireNonNull(node, "node");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void configure() {
        for (HousekeepingTask t : tasks) {
            RouteDefinition route = from("scheduler:" + t.id() + "?initialDelay=" + t.first().toMillis() + "&delay="
                    + t.every().toMillis() + "&useFixedDelay=true&poolSize=1")
                    .routeId(t.id())
                    .routeDescription((t.clusterOnce() ? "cluster-once" : "node-local") + " housekeeping");
            if (t.clusterOnce()) {
                route.routePolicy(leadership);
            }
            route.process(new HousekeepingRun(t, node, metrics)).id(t.id() + "-run");
        }
    }
}
