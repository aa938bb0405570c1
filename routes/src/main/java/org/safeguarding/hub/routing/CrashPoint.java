package org.safeguarding.hub.routing;

/**
 * A place in a step where a fault-injection run stops the process dead ({@code Runtime.halt}: no shutdown hooks, no
 * commit), to prove that a crash there loses and duplicates nothing. Off unless the JVM is started with
 * {@code -Dhub.faults.haltBeforeRoutingCommit=N} (halt on the N-th time the point is reached), which only tests do.
 */
public interface CrashPoint {
    CrashPoint NONE = () -> { };

    void reached();

    /** The routing step's point just before its commit, as the system property says. */
    static CrashPoint beforeRoutingCommit() {
        String n = System.getProperty("hub.faults.haltBeforeRoutingCommit");
        if (n == null || n.isBlank()) {
            return NONE;
        }
        int at = Integer.parseInt(n.trim());
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return () -> {
            if (count.incrementAndGet() == at) {
                org.slf4j.LoggerFactory.getLogger(CrashPoint.class).error("fault injection: halting before a routing commit");
                Runtime.getRuntime().halt(137);
            }
        };
    }
}
