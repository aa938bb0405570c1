package org.safeguarding.hub.housekeeping;

import java.time.Duration;
import java.util.Objects;

/**
 * One housekeeping job, run as the Camel route {@code id}: first {@code first} after its route starts, then
 * {@code every} after each run ends.
 *
 * @param scope whether one node of all does it ({@link Scope#CLUSTER_ONCE}, under the leadership) or each node for
 *              itself ({@link Scope#NODE_LOCAL})
 */
public record HousekeepingTask(String id, Scope scope, Duration first, Duration every, Runnable work) {
    public enum Scope {
        /** Shared state (registry, audit trail, broker inboxes): exactly one node at a time, the leader. */
        CLUSTER_ONCE,
        /** This node's own state (its broker, its folders, its in-memory partnership): every node. */
        NODE_LOCAL
    }

    public HousekeepingTask {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(work, "work");
        if (!id.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("a housekeeping route id is lower-case words with hyphens: " + id);
        }
        if (first.isNegative()) {
            throw new IllegalArgumentException("the first run of " + id + " must not be in the past");
        }
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the interval of " + id + " must be positive");
        }
    }

    public static HousekeepingTask clusterOnce(String id, Duration first, Duration every, Runnable work) {
        return new HousekeepingTask(id, Scope.CLUSTER_ONCE, first, every, work);
    }

    public static HousekeepingTask nodeLocal(String id, Duration first, Duration every, Runnable work) {
        return new HousekeepingTask(id, Scope.NODE_LOCAL, first, every, work);
    }

    public boolean clusterOnce() {
        return scope == Scope.CLUSTER_ONCE;
    }
}
