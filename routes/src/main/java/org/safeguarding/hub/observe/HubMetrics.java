package org.safeguarding.hub.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.safeguarding.hub.broker.HubBroker;
import org.safeguarding.hub.broker.QueueNames;

/**
 * The flow on {@code /observe/metrics}: each queue's depth and the age of its oldest message (the intake backlog, the
 * audit queue, every inbox, dead letters, quarantine), intake answers by outcome (a partner's mistake apart from the
 * hub's own failure), routing latency from receipt, and the audit writer's lag. Codes and queue names only.
 */
public final class HubMetrics implements FlowMetrics {
    private final MeterRegistry registry;
    private final Timer routing;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();

    public HubMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.routing = Timer.builder("hub.routing.latency")
                .description("From a submission's receipt to its routing commit")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
    }

    /** Depth and oldest age of the hub's queues and of each inbox the broker has now. */
    public HubMetrics queues(HubBroker broker, Supplier<? extends java.util.Collection<String>> recipients,
                             Clock clock) {
        for (String q : List.of(QueueNames.INTAKE, QueueNames.AUDIT, QueueNames.DEAD_LETTER, QueueNames.QUARANTINE,
                QueueNames.EXPIRY, QueueNames.WEBHOOK)) {
            queue(broker, q, clock);
        }
        recipients.get().forEach(r -> queue(broker, QueueNames.inbox(r), clock));
        return this;
    }

    /** A queue's two gauges; registering one again is harmless (a recipient added while the hub runs). */
    public void queue(HubBroker broker, String queue, Clock clock) {
        Gauge.builder("hub.queue.depth", () -> Math.max(0, broker.messageCount(queue)))
                .description("Messages waiting on the queue").tag("queue", queue).register(registry);
        Gauge.builder("hub.queue.oldest.age", () -> broker.oldestMessageAgeMillis(queue, clock.millis()) / 1000.0)
                .description("Seconds the oldest message on the queue has waited").baseUnit("seconds")
                .tag("queue", queue).register(registry);
    }

    /** The audit writer: step records applied, and how long the last one waited on the audit queue. */
    public HubMetrics auditWriter(LongSupplier lagMillis, LongSupplier applied) {
        Gauge.builder("hub.audit.writer.lag", () -> lagMillis.getAsLong() / 1000.0).baseUnit("seconds")
                .description("How long the last applied step record waited on the audit queue").register(registry);
        Gauge.builder("hub.audit.writer.applied", applied::getAsLong)
                .description("Step records applied to the audit store and registry since start").register(registry);
        return this;
    }

    /** The intake backlog against its bound. */
    public HubMetrics admission(LongSupplier backlog, long bound) {
        Gauge.builder("hub.intake.backlog", backlog::getAsLong)
                .description("Submissions accepted and not yet routed, or being taken in").register(registry);
        Gauge.builder("hub.intake.backlog.bound", () -> bound)
                .description("routing.maxBacklog: past it intake answers 503").register(registry);
        return this;
    }

    @Override
    public void intake(String outcome, boolean partnerMistake) {
        String by = partnerMistake ? "partner" : outcome.equals("ACCEPTED") || outcome.equals("REPEATED") ? "none" : "hub";
        outcomes.computeIfAbsent(outcome + "|" + by, k -> Counter.builder("hub.intake.answers")
                .description("Submissions answered, by outcome; by=partner for a partner's mistake, hub for the hub's")
                .tag("outcome", outcome).tag("by", by).register(registry)).increment();
    }

    @Override
    public void routed(Duration sinceReceipt) {
        routing.record(sinceReceipt.isNegative() ? Duration.ZERO : sinceReceipt);
    }
}
