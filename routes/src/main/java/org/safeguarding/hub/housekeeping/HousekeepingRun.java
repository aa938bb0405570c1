package org.safeguarding.hub.housekeeping;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a housekeeping task, the step of its route: counted by outcome ({@code hub.housekeeping.runs}, tags
 * {@code route}, {@code scope} and {@code outcome}); a cluster-once run is logged with the node that did it. A failed
 * run is logged (its exception's class and message, never a payload) and the next one tries again.
 */
final class HousekeepingRun implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(HousekeepingRun.class);
    static final String RUNS = "hub.housekeeping.runs";

    private final HousekeepingTask task;
    private final String node;
    private final Counter ok;
    private final Counter failed;

    HousekeepingRun(HousekeepingTask task, String node, MeterRegistry metrics) {
        this.task = task;
        this.node = node;
        this.ok = counter(metrics, "ok");
        this.failed = counter(metrics, "failed");
    }

    private Counter counter(MeterRegistry metrics, String outcome) {
        return Counter.builder(RUNS).description("Housekeeping runs on this node, by route and outcome")
                .tag("route", task.id()).tag("scope", task.clusterOnce() ? "cluster-once" : "node-local")
                .tag("outcome", outcome).register(metrics);
    }

    @Override
    public void process(Exchange exchange) {
        long started = System.nanoTime();
        try {
            task.work().run();
            ok.increment();
            if (task.clusterOnce()) {
                LOG.info("housekeeping {} ran on node {} in {} ms", task.id(), node,
                        (System.nanoTime() - started) / 1_000_000);
            }
        } catch (RuntimeException e) {
            failed.increment();
            LOG.warn("housekeeping {} failed on node {}, the next run tries again: {}", task.id(), node, e.toString());
        }
    }
}
